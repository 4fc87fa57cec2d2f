#!/usr/bin/env python3
"""Loads the demo enterprises and factories through the gateway's REST API, as the province would.

Idempotent: an enterprise already registered (409) is looked up by credit code, and only the factories it
lacks are added. Usage: demo_data.py http://127.0.0.1:8080
"""
import json
import sys
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
    ]),
]


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


def main():
    status, token = call("POST", "/dev/token", body={"role": "province", "region": "420000", "name": "湖北省经信厅(演示)"})
    if status != 200:
        sys.exit(f"could not get a development token: {status} {token}")
    token = token["access_token"]
    added = 0
    for code, name, region, industry, size, nature, factories in ENTERPRISES:
        status, enterprise = call("POST", "/api/v1/enterprises", token, {
            "creditCode": code, "name": name, "regionCode": region, "industryCode": industry, "size": size, "nature": nature})
        if status == 409:
            status, page = call("GET", f"/api/v1/enterprises?creditCode={code}", token)
            enterprise = page["items"][0]
        elif status != 201:
            sys.exit(f"registering {name} failed: {status} {enterprise}")
        else:
            added += 1
        status, page = call("GET", f"/api/v1/factories?enterpriseId={enterprise['id']}&pageSize=100", token)
        have = {f["name"] for f in page["items"]}
        for factory, address, factory_region in factories:
            if factory in have:
                continue
            status, created = call("POST", "/api/v1/factories", token, {
                "enterpriseId": enterprise["id"], "name": factory, "address": address,
                "regionCode": factory_region, "industryCode": industry})
            if status != 201:
                sys.exit(f"registering {factory} failed: {status} {created}")
            added += 1
    print(f"demo data: {added} records added, {len(ENTERPRISES)} enterprises present")


if __name__ == "__main__":
    main()
