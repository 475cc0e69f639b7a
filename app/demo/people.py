"""The demo organisation: 3 vendors, 6 teams, 40 agents, leads, managers and an admin. Pure and fixed."""

import random

DEMO_PASSWORDS = {
    "agent": "agent-demo-2026",
    "qa_lead": "lead-demo-2026",
    "manager": "manager-demo-2026",
    "admin": "admin-demo-2026",
}

TEAMS = (
    # name, vendor, site, locale, agents
    ("Manila KYC", "Northwind BPO", "Manila", "en", 7),
    ("Manila Payments", "Northwind BPO", "Manila", "en", 7),
    ("KL Account Security", "Atlas Support", "Kuala Lumpur", "en", 7),
    ("KL Onboarding", "Atlas Support", "Kuala Lumpur", "en", 6),
    ("Chengdu Risk A", "Meridian Services", "Chengdu", "zh_Hans", 7),
    ("Chengdu Risk B", "Meridian Services", "Chengdu", "zh_Hans", 6),
)

_GIVEN = (
    "Maria",
    "Jose",
    "Angelica",
    "Mark",
    "Kristine",
    "Paolo",
    "Aisyah",
    "Hafiz",
    "Mei Ling",
    "Arjun",
    "Nurul",
    "Daniel",
    "Siti",
    "Ravi",
    "Grace",
    "Leo",
    "Camille",
    "Faisal",
    "Joy",
    "Ethan",
)
_FAMILY = ("Santos", "Reyes", "Cruz", "Tan", "Lim", "Rahman", "Abdullah", "Kumar", "Garcia", "Wong")
_ZH_NAMES = (
    "王伟",
    "李娜",
    "张敏",
    "刘洋",
    "陈静",
    "杨帆",
    "赵磊",
    "黄丽",
    "周杰",
    "吴婷",
    "徐鹏",
    "孙悦",
    "马超",
)


def demo_people(seed: int = 2026) -> list[dict]:
    """Every demo person as plain data (username, display name, role, team name, locale), always the same."""
    rng = random.Random(seed)
    people = [
        {"username": "admin", "display_name": "Ada Admin", "role": "admin", "team": None, "locale": "en"}
    ]
    people += [
        {
            "username": "manager1",
            "display_name": "Morgan Lee",
            "role": "manager",
            "team": None,
            "locale": "en",
        },
        {
            "username": "manager2",
            "display_name": "陈经理",
            "role": "manager",
            "team": None,
            "locale": "zh_Hans",
        },
    ]
    number = 0
    zh_names = list(_ZH_NAMES)
    for index, (team, _vendor, _site, locale, agents) in enumerate(TEAMS):
        if index % 2 == 0:
            lead_locale = locale
            people.append(
                {
                    "username": f"lead{index // 2 + 1}",
                    "display_name": f"QA Lead {index // 2 + 1}",
                    "role": "qa_lead",
                    "team": team,
                    "locale": lead_locale,
                }
            )
        for _ in range(agents):
            number += 1
            if locale == "zh_Hans" and zh_names:
                name = zh_names.pop(0)
            else:
                name = f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"
            people.append(
                {
                    "username": f"agent{number:02d}",
                    "display_name": name,
                    "role": "agent",
                    "team": team,
                    "locale": locale,
                }
            )
    return people
