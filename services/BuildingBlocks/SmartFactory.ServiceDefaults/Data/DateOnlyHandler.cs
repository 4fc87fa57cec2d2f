using System.Data;
using Dapper;

namespace SmartFactory.ServiceDefaults.Data;

/// <summary>Business dates are DateOnly; Dapper 2.1 does not pass them as parameters by itself, Npgsql maps them to <c>date</c>.</summary>
public sealed class DateOnlyHandler : SqlMapper.TypeHandler<DateOnly>
{
    private static int registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref registered, 1) == 0) SqlMapper.AddTypeHandler(new DateOnlyHandler());
    }

    public override void SetValue(IDbDataParameter parameter, DateOnly value)
    {
        parameter.DbType = DbType.Date;
        parameter.Value = value;
    }

    public override DateOnly Parse(object value) => value switch
    {
        DateOnly date => date,
        DateTime dateTime => DateOnly.FromDateTime(dateTime),
        _ => throw new DataException($"cannot read {value.GetType()} as a date"),
    };
}
