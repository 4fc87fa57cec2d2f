#!/usr/bin/env python3
"""Loads the demo data through the gateway's REST API, as the officials and enterprises would.

First the enterprises and factories (as the province). Then this year's campaigns, and for each demo factory the
applications and reviews that leave it at one level and state: basic active, basic pending publicity, submitted,
draft, advanced active, excellent active, leading in cultivation, removed; above basic through the recommenders' ranked
lists (推荐汇总表) and, for excellent and leading, MIIT's decision recorded by the ministry (with the plaque, 授牌); and the
province's spot-check round (抽查) drawn with one finding recorded. Last, the city publicizes (公示) its basic
applications awaiting publicity: a notice drafted and published, open to objections for five working days; where the
working-day calendar does not reach the period's end (a year whose State Council notice is not uploaded yet), the city
states the end itself, a week past the Monday-to-Friday count. The summary lists the rounds with their countdown and the
calendar's years with their sources (and the province's warnings). The services
run on the real clock, so only what can happen today is shown (no expiries, renewals or acceptances: those need three
years of history; no closed notice: its period has to end first).

Idempotent: an enterprise already registered (409) is looked up by credit code and only the factories it lacks are
added; a campaign that exists (409) is looked up by year; a factory that already has an application is left as it is;
an application a notice (or a draft) already lists is not publicized again.
Usage: demo_data.py http://127.0.0.1:8080
"""
import datetime
import json
import sys
import time
import urllib.error
import urllib.request

GATEWAY = sys.argv[1].rstrip("/")

# (credit code, name, region, industry, size, nature, [(factory, address, region)])
ENTERPRISES = [
    ("91420100MA4KL3XK1L", "武汉智造汽车零部件有限公司", "420100", "36", "large", "private", [
        ("武汉经开区总装智能工厂", "武汉经济技术开发区车城大道88号", "420100"),
        ("襄阳动力总成智能工厂", "襄阳市高新区汽车产业园6号", "420600"),
    ]),
    ("91420500177570439E", "宜昌绿色化工股份有限公司", "420500", "26", "large", "state_owned", [
        ("宜昌猇亭精细化工智能工厂", "宜昌市猇亭区化工园路1号", "420500"),
    ]),
    ("91420600MA49B2C7XH", "襄阳精密轴承有限公司", "420600", "34", "medium", "private", [
        ("襄阳高新区轴承数字化工厂", "襄阳市高新区长虹北路22号", "420600"),
    ]),
    ("914202002717502832", "黄石特钢集团有限公司", "420200", "31", "large", "state_owned", [
        ("黄石特钢智能炼钢工厂", "黄石市西塞山区钢城路3号", "420200"),
    ]),
    ("91429004MA48Y8QW2X", "仙桃无纺布制品有限公司", "429004", "17", "medium", "private", [
        ("仙桃彭场无纺布智能工厂", "仙桃市彭场镇工业园9号", "429004"),
    ]),
    ("91420100MA4K2GTE0X", "武汉光谷光电子有限公司", "420100", "39", "large", "foreign", [
        ("武汉光谷光模块智能工厂", "武汉东湖新技术开发区高新大道999号", "420100"),
        ("武汉光谷封装测试工厂", "武汉东湖新技术开发区光谷三路7号", "420100"),
    ]),
    ("91421000MA49DK7Q3X", "荆州长江电机有限公司", "421000", "38", "medium", "private", [
        ("荆州开发区电机智能工厂", "荆州经济技术开发区东方大道5号", "421000"),
    ]),
]

# Where each demo factory ends up. Removal bans the whole enterprise for 3 years, so it goes to a single-factory one.
STAGES = {
    "武汉光谷光模块智能工厂": "advanced_recommended",
    "襄阳动力总成智能工厂": "basic_pending_publicity",
    "襄阳高新区轴承数字化工厂": "submitted",
    "荆州开发区电机智能工厂": "draft",
    "武汉经开区总装智能工厂": "advanced_active",
    "宜昌猇亭精细化工智能工厂": "excellent_active",
    "黄石特钢智能炼钢工厂": "leading_cultivating",
    "仙桃彭场无纺布智能工厂": "removed",
    "武汉光谷封装测试工厂": "revoked",
}

# Scenarios of the 2025 catalog: basic needs 生产作业; every other level here covers all five construction areas.
BASIC_SCENARIOS = ["2025-20", "2025-22", "2025-24"]
ALL_AREAS_SCENARIOS = ["2025-01", "2025-04", "2025-08", "2025-12", "2025-20", "2025-24", "2025-30", "2025-37"]
MINIMUM_MATURITY = {"basic": 2, "advanced": 2, "excellent": 3, "leading": 4}

# China time, as the services count business dates.
TODAY = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=8))).date()


def iso(days_from_today):
    return (TODAY + datetime.timedelta(days=days_from_today)).isoformat()


def call(method, path, token=None, body=None):
    request = urllib.request.Request(GATEWAY + path, method=method)
    request.add_header("Accept", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, data, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


def expect(status, method, path, token, body=None):
    """The call's answer, or the end of the script with the problem when it is not the expected status."""
    got, answer = call(method, path, token, body)
    if got != status:
        sys.exit(f"{method} {path} answered {got}, expected {status}: {json.dumps(answer, ensure_ascii=False)}")
    return answer


def all_items(path, token):
    """Every item of a paged list, following nextPageToken."""
    items, page_token = [], ""
    while True:
        separator = "&" if "?" in path else "?"
        page = expect(200, "GET", f"{path}{separator}pageSize=100" + (f"&pageToken={page_token}" if page_token else ""), token)
        items += page["items"]
        page_token = page["nextPageToken"]
        if not page_token:
            return items


class Tokens:
    """Development tokens, one per role and scope, issued on first use."""

    def __init__(self):
        self.issued = {}

    def get(self, role, region="", credit_code=None, name=None):
        key = (role, region, credit_code)
        if key not in self.issued:
            answer = expect(200, "POST", "/dev/token", None, {"role": role, "region": region, "creditCode": credit_code, "name": name})
            self.issued[key] = answer["access_token"]
        return self.issued[key]

    def province(self):
        return self.get("province", "420000", name="湖北省经信厅(演示)")

    def service(self):
        return self.get("service", "000000", name="smartfactory-notices (demo)")

    def ministry(self):
        return self.get("ministry", "000000", name="工信部(演示)")

    def city(self, region):
        return self.get("city", region, name=f"{region} 经信局(演示)")

    def enterprise(self, credit_code):
        return self.get("enterprise", credit_code=credit_code, name="企业用户(演示)")


def load_registry(tokens):
    """Registers the enterprises and factories; returns the records added and {factory name: factory}."""
    token = tokens.province()
    added, factories = 0, {}
    for code, name, region, industry, size, nature, plants in ENTERPRISES:
        status, enterprise = call("POST", "/api/v1/enterprises", token, {
            "creditCode": code, "name": name, "regionCode": region, "industryCode": industry, "size": size, "nature": nature})
        if status == 409:
            enterprise = expect(200, "GET", f"/api/v1/enterprises?creditCode={code}", token)["items"][0]
        elif status != 201:
            sys.exit(f"registering {name} failed: {status} {enterprise}")
        else:
            added += 1
        have = {f["name"]: f for f in all_items(f"/api/v1/factories?enterpriseId={enterprise['id']}", token)}
        for factory, address, factory_region in plants:
            if factory not in have:
                have[factory] = expect(201, "POST", "/api/v1/factories", token, {
                    "enterpriseId": enterprise["id"], "name": factory, "address": address,
                    "regionCode": factory_region, "industryCode": industry})
                added += 1
            factories[factory] = dict(have[factory], creditCode=code)
    return added, factories


# The basic-requirements checklist (要素条件, 003 第三条 and 附1), every one declared met.
REQUIREMENTS = ["legal_person", "above_designated_size", "not_listed", "products_permitted", "sound_finances",
                "no_serious_accident", "secure_controllable", "organisation_and_people"]


def round_year(last_month):
    """The year of the round still open today: basic rounds end on 31 March, advanced ones on 30 June (003 第十、十二条)."""
    return TODAY.year if TODAY.month <= last_month else TODAY.year + 1


def ensure_campaigns(tokens):
    """The rounds open today: the province's window for the cities' basic rounds and each demo city's own basic round,
    the province's advanced round, the ministry's excellent and leading rounds. Returns ({(level, region): campaign}, how
    many were opened)."""
    cities = sorted({region for *_, plants in ENTERPRISES for _, _, region in plants})
    basic_year, advanced_year = round_year(3), round_year(6)
    windows = expect(200, "GET", "/api/v1/round-windows", tokens.province())
    if not any(w["year"] == basic_year for w in windows):
        expect(200, "PUT", f"/api/v1/round-windows/{basic_year}", tokens.province(), {"opensOn": iso(-30)})
    openers = [(("basic", city), tokens.city(city), {"level": "basic", "year": basic_year, "submissionOpensOn": iso(-30),
                                                      "submissionClosesOn": f"{basic_year}-03-31"}) for city in cities]
    openers += [
        (("advanced", "420000"), tokens.province(), {"level": "advanced", "year": advanced_year, "submissionOpensOn": iso(-30),
                                                     "submissionClosesOn": f"{advanced_year}-06-30",
                                                     "quotas": [{"regionCode": city, "count": 5} for city in cities]}),
        (("excellent", "000000"), tokens.ministry(), {"level": "excellent", "year": TODAY.year, "submissionOpensOn": iso(-30),
                                                      "submissionClosesOn": iso(30), "decisionDueOn": iso(60),
                                                      "quotas": [{"regionCode": "420000", "count": 5}]}),
        (("leading", "000000"), tokens.ministry(), {"level": "leading", "year": TODAY.year, "submissionOpensOn": iso(-30),
                                                    "submissionClosesOn": iso(30), "decisionDueOn": iso(60),
                                                    "quotas": [{"regionCode": "420000", "count": 3}]}),
    ]
    campaigns, created = {}, 0
    for (level, region), token, body in openers:
        status, campaign = call("POST", "/api/v1/campaigns", token, body)
        if status == 201:
            created += 1
        elif status == 409:
            existing = expect(200, "GET", f"/api/v1/campaigns?year={body['year']}", token)
            campaign = next(c for c in existing if c["level"] == level and c["regionCode"] == region)
        else:
            sys.exit(f"opening the {body['year']} {level} round of {region} failed: {status} {campaign}")
        campaigns[(level, region)] = campaign
    return campaigns, created


def accept_submissions_today(campaigns):
    """An older demo database may hold rounds with windows already closed: then nothing can be applied for."""
    return all(c["status"] == "open" and c["submissionOpensOn"] <= TODAY.isoformat() <= c["submissionClosesOn"] for c in campaigns.values())


def upload_dossier(token, application):
    """A full dossier (申报材料, 003 第十七条) for an application about to be submitted: the dossier PDF, the commitment
    letter, the lists of key equipment and industrial software (XLSX), and per scenario a narrative and an evidence PDF.
    The files are made here, small but valid: a one-page PDF with its cross-reference table, a workbook of the minimal
    OOXML parts. Uploads replace or add, so a second run adds evidence again only for applications it submits again."""
    import io
    import uuid
    import zipfile

    def pdf(title):
        text = f"BT /F1 18 Tf 72 720 Td ({title}) Tj ET".encode()
        objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                   b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
                   b"<< /Length %d >>\nstream\n%s\nendstream" % (len(text), text), b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
        out, offsets = bytearray(b"%PDF-1.4\n"), []
        for number, body in enumerate(objects, 1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % o for o in offsets)
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
        return bytes(out)

    def xlsx(header):
        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        parts = {
            "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
            "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
            "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>' + "".join(
                f'<row r="{r}">' + "".join(f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{v}</t></is></c>' for c, v in enumerate(row)) + "</row>"
                for r, row in enumerate([header, ["示例一", "某供应商", "1"], ["示例二", "某供应商", "2"]], 1)) + "</sheetData></worksheet>",
        }
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in parts.items():
                archive.writestr(name, text)
        return buffer.getvalue()

    def upload(kind, name, content, content_type, subject=""):
        boundary = uuid.uuid4().hex
        fields = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode() for k, v in (("kind", kind), ("subject", subject))]
        head = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                f"Content-Type: {content_type}\r\n\r\n").encode()
        request = urllib.request.Request(f"{GATEWAY}/api/v1/applications/{application['id']}/dossier/files", method="POST",
                                         data=b"".join(fields) + head + content + f"\r\n--{boundary}--\r\n".encode())
        request.add_header("Authorization", "Bearer " + token)
        request.add_header("Content-Type", f"multipart/form-data; boundary={boundary}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return json.loads(response.read())
        except urllib.error.HTTPError as error:
            sys.exit(f"uploading {name} failed: {error.code} {error.read().decode(errors='replace')}")

    xlsx_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    upload("dossier", "申报书.pdf", pdf("Smart factory application dossier"), "application/pdf")
    upload("commitment_letter", "承诺书（盖章）.pdf", pdf("Commitment letter, signed and sealed"), "application/pdf")
    upload("equipment_list", "关键设备清单.xlsx", xlsx(["设备名称", "供应商", "数量"]), xlsx_type)
    upload("software_list", "工业软件清单.xlsx", xlsx(["软件名称", "供应商", "版本"]), xlsx_type)
    # The basic requirements whose evidence goes with the application (003 附1): last year's accounts, the organisation.
    upload("declaration_evidence", "上年度财务报表.pdf", pdf("Financial statements of last year"), "application/pdf", "above_designated_size")
    upload("declaration_evidence", "智能制造推进机构任命文件.pdf", pdf("Appointment of the smart manufacturing office"), "application/pdf",
           "organisation_and_people")
    for scenario in application["scenarioIds"]:
        expect(200, "PUT", f"/api/v1/applications/{application['id']}/dossier/narratives/{scenario}", token, {
            "currentState": "人工排产、纸质记录，设备数据分散", "painPoints": "交付周期长，质量问题追溯困难",
            "solution": "设备联网与数据采集，部署MES、APS，质量数据全流程追溯", "equipmentAndSoftware": "数控加工中心、工业机器人；MES、APS、QMS",
            "suppliers": "省内智能制造系统解决方案供应商（演示）", "results": "关键设备数控化率提升至92%，生产效率提升18%，不良品率下降25%"})
        upload("scenario_evidence", f"场景{scenario}佐证材料.pdf", pdf(f"Scenario {scenario} evidence"), "application/pdf", scenario)


class Journey:
    """One factory's way through the lifecycle, each step a REST call by the role that takes it."""

    def __init__(self, tokens, campaigns, factory):
        self.tokens, self.campaigns, self.factory = tokens, campaigns, factory
        self.enterprise = tokens.enterprise(factory["creditCode"])
        self.city = tokens.city(factory["regionCode"])

    def campaign(self, level):
        return self.campaigns[(level, {"basic": self.factory["regionCode"], "advanced": "420000"}.get(level, "000000"))]

    def draft(self, level):
        campaign = self.campaign(level)
        return expect(201, "POST", "/api/v1/applications", self.enterprise, {
            "campaignId": campaign["id"], "factoryId": self.factory["id"],
            "maturity": {"level": MINIMUM_MATURITY[level], "assessedOn": iso(-20), "certificateRef": f"ZNZZ-{TODAY.year}-{level}"},
            "catalogEdition": campaign["catalogEdition"], "scenarioIds": BASIC_SCENARIOS if level == "basic" else ALL_AREAS_SCENARIOS,
            "kpis": [{"kpiId": "K01", "value": 86.5}, {"kpiId": "K02", "value": 72.0}, {"kpiId": "K14", "value": -1.5}],
            "truthfulnessDeclared": True, "lastYearRevenue": 36800, "legalForm": "independent",
            "declarations": [{"code": code, "affirmed": True} for code in REQUIREMENTS]})

    def submit(self, level):
        application = self.draft(level)
        upload_dossier(self.enterprise, application)
        return expect(200, "POST", f"/api/v1/applications/{application['id']}/submit", self.enterprise,
                      {"expectedVersion": application["version"]})

    def review(self, application, token, action):
        return expect(200, "POST", f"/api/v1/applications/{application['id']}/review", token,
                      {"expectedVersion": application["version"], "action": action, "comments": "演示数据"})

    def verify(self, application, token):
        """The reviewer's finding that every declared basic requirement is met, as approval needs."""
        return expect(200, "POST", f"/api/v1/applications/{application['id']}/verifications", token, {
            "expectedVersion": application["version"],
            "verifications": [{"code": code, "confirmed": True, "note": "演示:经核实"} for code in REQUIREMENTS]})

    def approve(self, level="basic"):
        """A basic application submitted, verified and approved by the city: pending publicity. Above basic, see climb()."""
        return self.review(self.verify(self.submit(level), self.city), self.city, "approve")

    def take_effect(self, application):
        """After publicity in effect; the factory's lower recognition is superseded."""
        # Only a closed notice's result takes effect, delivered by the notices service with its own (service) token.
        # The demo cannot wait out a publicity period, so it delivers that result itself with a development service token.
        return expect(200, "POST", f"/api/v1/applications/{application['id']}/take-effect", self.tokens.service(),
                      {"requestId": f"demo-{application['id']}"})

    def recognize(self, level="basic"):
        return self.take_effect(self.approve(level))

    def revoke(self, recognition, reason):
        """After a confirmed public report (实名举报); without a ban, the enterprise may apply again."""
        return expect(200, "POST", f"/api/v1/recognitions/{recognition['id']}/revocation", self.city, {
            "expectedVersion": recognition["version"], "reason": reason, "dataFraud": False})

    def remove(self, recognition, cause):
        return expect(200, "POST", f"/api/v1/recognitions/{recognition['id']}/removal", self.city, {
            "expectedVersion": recognition["version"], "cause": cause, "description": "演示:申报数据造假,经核实移出", "occurredOn": iso(-5)})


def stage(journey, name):
    """Takes the factory to one of the STAGES; a higher level climbs the ladder, each level recognized before the next."""
    if name == "draft":
        journey.draft("basic")
    elif name == "submitted":
        journey.submit("basic")
    elif name == "basic_pending_publicity":
        journey.approve("basic")
    elif name == "basic_active":
        journey.recognize("basic")
    elif name == "removed":
        journey.remove(journey.recognize("basic"), "data_fraud")
    elif name == "revoked":
        journey.revoke(journey.recognize("basic"), "演示:举报查实,场景材料与实际不符")
    else:
        raise ValueError(f"{name} is staged by climb()")


def calendar_years():
    """The working-day calendar as anyone reads it: {year: (days off, adjusted working days)}, and the summary's line."""
    calendar = expect(200, "GET", "/api/v1/calendar", None)
    years = {}
    for y in calendar["years"]:
        off = set()
        for h in y["holidays"]:
            day = datetime.date.fromisoformat(h["from"])
            while day <= datetime.date.fromisoformat(h["to"]):
                off.add(day)
                day += datetime.timedelta(days=1)
        years[y["year"]] = (off, {datetime.date.fromisoformat(d) for d in y["adjustedWorkdays"]})
    described = ", ".join(f"{y['year']} ({y['source']['documentNumber']} of {y['source']['publishedOn']}, {y['origin']})" for y in calendar["years"])
    return years, described


def stated_end(years, length=5):
    """The end a city states where the calendar does not reach: the period counted on the calendar where it has data
    and Monday to Friday beyond it (the service's lower bound), plus a week for the holidays no data holds yet."""
    day, counted = TODAY, 0
    while counted < length:
        day += datetime.timedelta(days=1)
        off, worked = years.get(day.year, (set(), set()))
        counted += day in worked or (day.weekday() < 5 and day not in off)
    return (day + datetime.timedelta(days=7)).isoformat()


# ----- oversight: the ranked recommendation lists (推荐汇总表) and a spot-check round (抽查)

LADDER = ["basic", "advanced", "excellent", "leading"]


def climb(tokens, journeys):
    """The factories staged above basic climb together, one level at a time: above basic, each recommender (a city for
    advanced, the province for excellent and leading) puts the level's applications on its ranked list, one per campaign,
    and submits it. The province verifies and approves advanced ones, which take effect after publicity; excellent and
    leading take effect from MIIT's decision, which the ministry records with the plaque (授牌). An "_recommended" target
    stays recommended, a leading one cultivating. Returns what happened, for the summary."""
    notes = []
    top = {id(j): t.removesuffix("_active").removesuffix("_cultivating").removesuffix("_recommended") for j, t in journeys}
    for level in LADDER:
        climbing = [(j, t) for j, t in journeys if LADDER.index(top[id(j)]) >= LADDER.index(level)]
        if level == "basic":
            for j, _ in climbing:
                j.take_effect(j.approve())
            continue
        by_recommender = {}
        for j, t in climbing:
            recommender = j.city if level == "advanced" else tokens.province()
            by_recommender.setdefault(recommender, []).append((j, t, j.submit(level)))
        going_on = []
        for recommender, entries in by_recommender.items():
            entries.sort(key=lambda e: e[1].endswith("_recommended"))  # those going further first
            listed = expect(201, "POST", "/api/v1/recommendation-lists", recommender, {"campaignId": entries[0][0].campaign(level)["id"]})
            listed = expect(200, "PUT", f"/api/v1/recommendation-lists/{listed['id']}/entries", recommender, {
                "expectedVersion": listed["version"],
                "entries": [{"applicationId": a["id"], "reason": f"演示:第{rank}位,场景覆盖全面"} for rank, (_, _, a) in enumerate(entries, 1)]})
            listed = expect(200, "POST", f"/api/v1/recommendation-lists/{listed['id']}/submit", recommender,
                            {"expectedVersion": listed["version"]})
            notes.append(f"{listed['recommenderName']} {level} list of {len(listed['entries'])} submitted")
            going_on += [(j, a) for j, t, a in entries if t != f"{level}_recommended"]
        if level == "advanced":
            province = tokens.province()
            for j, a in going_on:
                recommended = expect(200, "GET", f"/api/v1/applications/{a['id']}", province)
                j.take_effect(j.review(j.verify(recommended, province), province, "approve"))
        elif going_on:
            notes.append(national_decision(tokens, level, going_on[0][0].campaign(level), [a for _, a in going_on]))
    return notes


def national_decision(tokens, level, campaign, applications):
    """MIIT's published decision naming the applications, in its order, recorded by the ministry; then the plaques."""
    ministry = tokens.ministry()
    number = f"工信厅联通装函〔{TODAY.year}〕{LADDER.index(level) * 100 + len(applications)}号（演示）"
    decision = expect(201, "POST", "/api/v1/national-decisions", ministry, {
        "campaignId": campaign["id"], "documentNumber": number, "decidedOn": iso(0),
        "listName": f"{TODAY.year}年度{'卓越级' if level == 'excellent' else '领航级'}智能工厂名单（演示）",
        "applicationIds": [a["id"] for a in applications]})
    for recognition_id in decision["recognitionIds"]:
        recognition = expect(200, "GET", f"/api/v1/recognitions/{recognition_id}", ministry)
        expect(200, "POST", f"/api/v1/recognitions/{recognition_id}/plaque", ministry, {"expectedVersion": recognition["version"], "awardedOn": iso(0)})
    return f"MIIT's {level} decision {number} recorded, plaques awarded"


def spot_check(tokens):
    """The province draws one basic or advanced factory per city for this year's spot check (the seed recorded, so the
    draw can be repeated) and records a finding on the first, with a rectification deadline; once a year."""
    province = tokens.province()
    name = f"{TODAY.year}年基础级和先进级智能工厂抽查(演示)"
    if any(r["name"] == name for r in expect(200, "GET", "/api/v1/spot-check-rounds", province)):
        return "spot-check round present"
    status, drawn = call("POST", "/api/v1/spot-check-rounds", province,
                         {"name": name, "levels": ["basic", "advanced"], "draw": {"perCity": 1, "seed": TODAY.year}})
    if status != 201:
        return f"no spot-check round ({status}: {(drawn or {}).get('detail', '')})"
    check = drawn["checks"][0]
    expect(200, "POST", f"/api/v1/spot-checks/{check['id']}/outcome", province, {
        "expectedVersion": check["version"], "findings": "演示:现场核查发现生产数据采集不完整", "inspectedOn": iso(0),
        "outcome": "rectification", "rectificationDueOn": iso(60)})
    return f"spot-check round drawn with seed {drawn['seed']} ({len(drawn['checks'])} checks), {check['factoryName']} to rectify by {iso(60)}"


def publicize(tokens, factories):
    """Each city with a factory staged pending publicity drafts and publishes one notice of its basic applications
    awaiting publicity that no notice lists yet; returns what happened, for the summary."""
    notes = []
    pending = [factories[name] for name, target in STAGES.items() if target == "basic_pending_publicity"]
    for region in sorted({f["regionCode"] for f in pending}):
        city = tokens.city(region)
        listed = {item["applicationId"] for notice in all_items("/api/v1/notices?includeDrafts=true", city) for item in notice["items"]}
        factory_ids = {f["id"] for f in pending if f["regionCode"] == region}
        waiting = [a["id"] for a in all_items("/api/v1/applications?status=approved&level=basic", city)
                   if a["factoryId"] in factory_ids and a["id"] not in listed and a["recognitionId"]
                   and expect(200, "GET", f"/api/v1/recognitions/{a['recognitionId']}", city)["status"] == "pending_publicity"]
        if not waiting:
            notes.append(f"{region} notice present")
            continue
        name = next((r["name"] for r in expect(200, "GET", "/api/v1/regions", city) if r["code"] == region), region)
        body = {"title": f"{name}{TODAY.year}年度基础级智能工厂拟认定名单公示", "applicationIds": waiting}
        status, draft = call("POST", "/api/v1/notices", city, body)
        if status == 409 and "ends_on" in json.dumps(draft, ensure_ascii=False):
            # The period reaches a year the working-day calendar lacks: the city states the end itself.
            status, draft = call("POST", "/api/v1/notices", city, {**body, "endsOn": stated_end(calendar_years()[0])})
        if status != 201:
            # Any other refusal: the demo goes on without the notice.
            notes.append(f"{region} notice not drafted ({status}: {'; '.join((draft or {}).get('rules') or [(draft or {}).get('detail', '')])})")
            continue
        notice = expect(200, "POST", f"/api/v1/notices/{draft['id']}/publish", city, {"expectedVersion": draft["version"]})
        stated = ", end stated by the city" if notice.get("endStatedByPublisher") else ""
        notes.append(f"{region} notice published ({notice['startsOn']} to {notice['endsOn']}{stated})")
    return notes


def main():
    tokens = Tokens()
    added, factories = load_registry(tokens)
    campaigns, opened = ensure_campaigns(tokens)
    applied = {a["factoryId"] for a in all_items("/api/v1/applications", tokens.province())}
    waiting = [(name, target) for name, target in STAGES.items() if factories[name]["id"] not in applied]
    if waiting and not accept_submissions_today(campaigns):
        note = f"{len(waiting)} factories not staged: the {TODAY.year} campaigns are closed to submissions today"
    else:
        above = [(Journey(tokens, campaigns, factories[name]), target) for name, target in waiting if target.split("_")[0] in LADDER[1:]]
        for name, target in waiting:
            if target.split("_")[0] not in LADDER[1:]:
                stage(Journey(tokens, campaigns, factories[name]), target)
        lists = climb(tokens, above)
        note = f"{len(waiting)} of {len(STAGES)} factories staged" + (f" ({', '.join(t for _, t in waiting)})" if waiting else "")
        note += "".join(f"; {n}" for n in lists)
    note += "; " + spot_check(tokens)
    notices = publicize(tokens, factories)
    countdown = ", ".join(f"{c['year']} {c['level']} {c['regionCode']} {c['daysLeft']} days left"
                          for (level, _), c in campaigns.items() if level != "basic" or c["regionCode"] == "420100")
    _, calendar = calendar_years()
    warnings = expect(200, "GET", "/api/v1/calendar", tokens.province())["warnings"]
    print(f"demo data: {added} records added, {len(ENTERPRISES)} enterprises present; "
          f"{opened} of {len(campaigns)} rounds opened ({countdown}); {note}; publicity: {', '.join(notices) or 'nothing awaits it'}; "
          f"working-day calendar: {calendar}" + (f"; the province is warned: {'; '.join(warnings)}" if warnings else "")
          + f"; {catalog_summary(tokens)}")


def catalog_summary(tokens):
    """What the public catalog shows once it has read the registry's change feed (it pulls every second): up to 15 s."""
    # Pending publicity is not published yet; a cancelled one may have been cancelled during it, and never was.
    live = {r["id"] for r in all_items("/api/v1/recognitions", tokens.ministry()) if r["status"] not in ("pending_publicity", "cancelled")}
    for _ in range(60):
        found = expect(200, "GET", "/api/v1/catalog/entries?pageSize=1", None)
        if found["totalSize"] >= len(live):
            break
        time.sleep(0.25)
    lists = all_items("/api/v1/catalog/lists", None)
    tombstones = sum(f["count"] for f in found["facets"]["status"] if f["value"] not in ("active", "cultivating"))
    return f"catalog: {found['totalSize']} entries ({tombstones} ended) in {len(lists)} published lists"


if __name__ == "__main__":
    main()
