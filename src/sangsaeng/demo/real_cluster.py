"""The real, public part of the Seongnam demo: its organisations and their agreements.

Facts come from press coverage of Seongnam City's announcements (sources are named in
each agreement's ``source``). Commitment indicators and progress notes are illustrative
demo content, and the agreement ``source`` fields say so.
"""

from __future__ import annotations

import datetime
from typing import Any

# key → organisation fields; the key is also the slug.
ORGANISATIONS: dict[str, dict[str, Any]] = {
    "seongnam-city": {
        "kind": "government",
        "name_ko": "성남시",
        "name_en": "Seongnam City",
        "description_ko": "경기도 성남시. 판교 일대에 국내 팹리스 기업의 약 40%가 모여 있으며, "
        "판교를 ‘K-팹리스 밸리’로 키우는 AI·시스템반도체 클러스터를 추진한다.",
        "description_en": "Seongnam City, Gyeonggi Province. About 40% of Korea's fabless "
        "companies are in and around Pangyo; the city is building an AI and "
        "system-semiconductor cluster there (a 'K-fabless valley').",
        "website": "https://www.seongnam.go.kr",
        "city": "성남시",
        "tags": ["applications", "ai", "chip-design"],
    },
    "sejong-university": {
        "kind": "university",
        "name_ko": "세종대학교",
        "name_en": "Sejong University",
        "description_ko": "서울 광진구의 사립대학교. 2024년 12월 9일 성남시와 AI 첨단산업 상생 "
        "클러스터 조성 업무협약을 맺었다.",
        "description_en": "Private university in Gwangjin-gu, Seoul. Signed the MOU on a "
        "win-win AI high-tech cluster with Seongnam City on 9 December 2024.",
        "website": "https://www.sejong.ac.kr",
        "city": "서울특별시",
        "tags": ["ai", "chip-design"],
    },
    "kaist": {
        "kind": "university",
        "name_ko": "한국과학기술원(KAIST)",
        "name_en": "KAIST",
        "description_ko": "대전의 국립 과학기술 특성화 대학. 시스템반도체 성남 클러스터 협약"
        "(2022년 12월) 참여 기관.",
        "description_en": "Korea Advanced Institute of Science and Technology, Daejeon. A "
        "party to the Seongnam system-semiconductor cluster agreement (December 2022).",
        "website": "https://www.kaist.ac.kr",
        "city": "대전광역시",
        "tags": ["ai", "chip-design"],
    },
    "kaist-seongnam-ai-institute": {
        "kind": "research_institute",
        "name_ko": "카이스트 성남 AI 연구원",
        "name_en": "KAIST Seongnam AI Research Institute",
        "description_ko": "성남시가 2028년까지 건립을 추진하는 KAIST의 AI 연구원(계획).",
        "description_en": "KAIST's AI research institute that Seongnam City plans to build by "
        "2028 (planned).",
        "city": "성남시",
        "tags": ["ai", "llm", "npu"],
    },
    "skku": {
        "kind": "university",
        "name_ko": "성균관대학교",
        "name_en": "Sungkyunkwan University",
        "description_ko": "시스템반도체 성남 클러스터 협약(2022년 12월) 참여 기관. 2024년 4월 "
        "성남시와 시스템반도체·AI 혁신 생태계 업무협약을 맺었다.",
        "description_en": "A party to the Seongnam system-semiconductor cluster agreement "
        "(December 2022); signed an MOU with Seongnam City on system semiconductors and AI "
        "in April 2024.",
        "website": "https://www.skku.edu",
        "city": "서울특별시",
        "tags": ["chip-design", "ai"],
    },
    "skku-fabless-ai-seongnam-center": {
        "kind": "research_institute",
        "name_ko": "성균관대학교 분당캠퍼스 팹리스 AI 성남연구센터",
        "name_en": "Sungkyunkwan University Bundang Campus Fabless AI Seongnam Research Center",
        "description_ko": "2024년 11월 26일 분당구 정자동 킨스타워 13층(약 500㎡)에 문을 연 "
        "연구센터. 시스템반도체·AI 전문 인력 양성과 연구개발을 맡는다.",
        "description_en": "Opened on 26 November 2024 on the 13th floor of KINS Tower, "
        "Jeongja-dong, Bundang (about 500 m²): training and R&D in system semiconductors "
        "and AI.",
        "address": "경기도 성남시 분당구 정자동 킨스타워 13층",
        "city": "성남시",
        "tags": ["chip-design", "ai", "verification"],
    },
    "cmu-etc": {
        "kind": "university",
        "name_ko": "카네기멜런대학교 엔터테인먼트기술센터(ETC)",
        "name_en": "Carnegie Mellon University Entertainment Technology Center",
        "description_ko": "미국 카네기멜런대의 엔터테인먼트 기술 석사(MET) 과정. 2024년 4월 "
        "성남시와 판교 ETC 캠퍼스 유치를 위한 업무협약을 맺었다.",
        "description_en": "Carnegie Mellon University's Master of Entertainment Technology "
        "programme. Signed an MOU with Seongnam City in April 2024 towards an ETC campus in "
        "Pangyo.",
        "website": "https://www.etc.cmu.edu",
        "city": "Pittsburgh",
        "tags": ["games-media", "ai", "computer-vision"],
    },
    "sogang-pangyo-digital-innovation-campus": {
        "kind": "university",
        "name_ko": "서강대학교 판교디지털혁신캠퍼스",
        "name_en": "Sogang University Pangyo Digital Innovation Campus",
        "description_ko": "제2판교테크노밸리 위든타워 3~6층(약 1만280㎡)에 2025년 8월 13일 "
        "문을 연 캠퍼스. 시스템반도체·AI 연구·교육·창업 거점.",
        "description_en": "Opened on 13 August 2025 on floors 3–6 of Weeden Tower in the "
        "Pangyo 2nd Techno Valley (about 10,280 m²): research, teaching and start-ups in "
        "system semiconductors and AI.",
        "website": "https://www.sogang.ac.kr",
        "address": "경기도 성남시 수정구 금토로80번길 56 위든타워 3~6층",
        "city": "성남시",
        "tags": ["chip-design", "ai"],
    },
    "gachon-university": {
        "kind": "university",
        "name_ko": "가천대학교",
        "name_en": "Gachon University",
        "description_ko": "성남시 수정구의 대학교. 시스템반도체 성남 클러스터 협약 참여 기관.",
        "description_en": "University in Sujeong-gu, Seongnam; a party to the "
        "system-semiconductor cluster agreement.",
        "website": "https://www.gachon.ac.kr",
        "city": "성남시",
        "tags": ["chip-design", "ai"],
    },
    "seongnam-chamber": {
        "kind": "support_agency",
        "name_ko": "성남상공회의소",
        "name_en": "Seongnam Chamber of Commerce and Industry",
        "description_ko": "시스템반도체 클러스터 연합회의 사무국을 맡는다.",
        "description_en": "Runs the secretariat of the system-semiconductor cluster federation.",
        "city": "성남시",
        "tags": ["applications"],
    },
    "korea-fabless-industry-association": {
        "kind": "support_agency",
        "name_ko": "한국팹리스산업협회",
        "name_en": "Korea Fabless Industry Association",
        "description_ko": "시스템반도체 생태계 조성을 위한 대내·외 협력사업을 추진한다.",
        "description_en": "Runs domestic and international cooperation for the "
        "system-semiconductor ecosystem.",
        "city": "성남시",
        "tags": ["chip-design"],
    },
    "seongnam-industrial-complex": {
        "kind": "support_agency",
        "name_ko": "성남산업단지관리공단",
        "name_en": "Seongnam Industrial Complex Management Corporation",
        "description_ko": "산업 생태계 구축, 인력 육성과 테스트베드 구축을 지원한다.",
        "description_en": "Supports the industrial ecosystem, training and test beds.",
        "city": "성남시",
        "tags": ["post-silicon"],
    },
    "keti": {
        "kind": "research_institute",
        "name_ko": "한국전자기술연구원",
        "name_en": "Korea Electronics Technology Institute (KETI)",
        "description_ko": "성남시 분당구에 본원을 둔 전자·정보통신 전문 연구기관.",
        "description_en": "Electronics and ICT research institute headquartered in Bundang, "
        "Seongnam.",
        "website": "https://www.keti.re.kr",
        "city": "성남시",
        "tags": ["chip-design", "ai", "iot"],
    },
    "institute-of-semiconductor-engineers": {
        "kind": "support_agency",
        "name_ko": "반도체공학회",
        "name_en": "The Institute of Semiconductor Engineers",
        "description_ko": "반도체 분야 학회. 기술 혁신과 정책 자문을 맡는다.",
        "description_en": "Academic society of semiconductor engineering; technical and "
        "policy advice.",
        "city": "",
        "tags": ["chip-design"],
    },
}

ILLUSTRATIVE = " Indicator values, and notes marked (Example), are illustrative demo content."
ILLUSTRATIVE_KO = " 지표 값과 (예시) 표시가 붙은 경과는 데모용 예시입니다."
# English needs no counter where the indicator's name says what is counted.
UNITS_EN = {"명": "", "건": "", "개": "", "㎡": "m²"}

AGREEMENTS: list[dict[str, Any]] = [
    {
        "slug": "seongnam-sejong-ai-cluster-mou",
        "title_ko": "인공지능(AI) 첨단산업의 상생 클러스터 조성을 위한 업무협약",
        "title_en": "MOU on building a win-win cluster for the AI high-tech industry",
        "summary_ko": "성남시와 세종대학교는 ▲인공지능 및 반도체 설계(팹리스) 연구 등을 위한 "
        "행정적 지원 협력 ▲첨단기술 우수 인력 양성 ▲산·학·연·관 융복합 클러스터 조성을 위한 "
        "상생협력 체계 구축에 협력하기로 했다. 성남시청 제1회의실에서 신상진 시장과 엄종화 "
        "총장이 서명했다.",
        "summary_en": "Seongnam City and Sejong University agreed to cooperate on "
        "administrative support for AI and fabless (chip design) research, on training "
        "talent in advanced technology, and on a win-win system for an "
        "industry–academia–research–government convergence cluster. Signed at Seongnam City "
        "Hall by Mayor Shin Sang-jin and President Eom Jong-hwa.",
        "signed_on": datetime.date(2024, 12, 9),
        "parties": ["seongnam-city", "sejong-university"],
        "source_ko": "성남시 보도자료(2024. 12. 9.), 경인일보·전자신문·이데일리 2024-12-09 보도."
        + ILLUSTRATIVE_KO,
        "source": "Seongnam City press release of 9 Dec 2024 (reported by Kyeongin Ilbo, "
        "etnews and Edaily on 2024-12-09; the photo caption dates it 2024.12.9)." + ILLUSTRATIVE,
        "commitments": [
            {
                "title_ko": "인공지능 및 반도체 설계(팹리스) 연구 등을 위한 행정적 지원",
                "title_en": "Administrative support for AI and fabless research",
                "owner": "seongnam-city",
                "indicators": [
                    ("지원한 공동 연구과제", "Joint research projects supported", "건", 10, 3),
                    (
                        "공용 EDA 라이선스 이용 기업",
                        "Companies using shared EDA licences",
                        "개",
                        40,
                        12,
                    ),
                ],
                "updates": [
                    (
                        datetime.date(2025, 3, 14),
                        "in_progress",
                        "(예시) 연구 지원 전담 창구를 시청 담당 부서에 두고 "
                        "첫 공동 연구과제 3건을 선정했다.",
                        "(Example) A research support desk opened at City Hall and the first "
                        "three joint research projects were chosen.",
                    ),
                    (
                        datetime.date(2025, 9, 30),
                        "in_progress",
                        "(예시) 공용 EDA 라이선스 지원을 시작해 12개 기업이 이용 중이다.",
                        "(Example) Shared EDA licences are offered; 12 companies use them.",
                    ),
                ],
            },
            {
                "title_ko": "첨단기술에 대한 우수한 인력 양성",
                "title_en": "Training excellent talent in advanced technology",
                "owner": "sejong-university",
                "indicators": [
                    ("교육 이수 학생", "Students trained", "명", 200, 64),
                    ("클러스터 기업 인턴십", "Internships at cluster companies", "명", 50, 11),
                ],
                "updates": [
                    (
                        datetime.date(2025, 6, 20),
                        "in_progress",
                        "(예시) AI·팹리스 단기 교육과정 1기 64명이 수료했다.",
                        "(Example) 64 students finished the first short AI·fabless course.",
                    ),
                ],
            },
            {
                "title_ko": "산·학·연·관 융복합 클러스터 조성을 위한 상생협력 체계 구축",
                "title_en": "A win-win system for an industry–academia–research–government "
                "convergence cluster",
                "owner": "seongnam-city",
                "indicators": [
                    ("플랫폼 참여 기관", "Organisations on the platform", "개", 100, 0),
                    ("공동 프로젝트", "Joint projects", "건", 20, 2),
                ],
                "updates": [
                    (
                        datetime.date(2025, 4, 2),
                        "planned",
                        "(예시) 실무협의회를 구성하고 협력 플랫폼 구축 계획을 확정했다.",
                        "(Example) A working council was formed and the plan for a cooperation "
                        "platform agreed.",
                    ),
                    (
                        datetime.date(2025, 11, 5),
                        "in_progress",
                        "(예시) 기관·전문가 디렉터리를 공개하고 첫 공동 프로젝트 2건을 시작했다.",
                        "(Example) The directory of organisations and experts went public and "
                        "the first two joint projects started.",
                    ),
                ],
            },
        ],
    },
    {
        "slug": "seongnam-system-semiconductor-cluster-2022",
        "title_ko": "시스템반도체 성남 클러스터 조성을 위한 업무 협약",
        "title_en": "Agreement on building the Seongnam system-semiconductor cluster",
        "summary_ko": "성남시와 성남상공회의소, 한국팹리스산업협회, 성남산업단지관리공단, "
        "가천대학교, 성균관대학교, KAIST, 한국전자기술연구원, 반도체공학회 등 8개 기관이 "
        "성남을 시스템반도체 중심 도시로 만들기 위해 역할을 나누어 협력하기로 했다.",
        "summary_en": "Seongnam City and eight organisations (the Seongnam Chamber of "
        "Commerce and Industry, the Korea Fabless Industry Association, the Seongnam "
        "Industrial Complex Management Corporation, Gachon University, Sungkyunkwan "
        "University, KAIST, KETI and the Institute of Semiconductor Engineers) share the work "
        "of making Seongnam a system-semiconductor hub.",
        "signed_on": datetime.date(2022, 12, 2),
        "parties": [
            "seongnam-city",
            "seongnam-chamber",
            "korea-fabless-industry-association",
            "seongnam-industrial-complex",
            "gachon-university",
            "skku",
            "kaist",
            "keti",
            "institute-of-semiconductor-engineers",
        ],
        "source_ko": "성남시(2022. 12. 2.), 연합뉴스·한국경제·뉴스1 2022-12-02, "
        "전자신문 2022-12-07 보도; 연합회 창립은 2024-11-18 전자신문 보도." + ILLUSTRATIVE_KO,
        "source": "Seongnam City, 2 Dec 2022 (Yonhap/Hankyung and News1 2022-12-02, etnews "
        "2022-12-07 name all eight parties); federation launch 18 Nov 2024 (etnews)."
        + ILLUSTRATIVE,
        "commitments": [
            {
                "title_ko": "시스템반도체 클러스터 조성 총괄",
                "title_en": "Lead the building of the cluster",
                "owner": "seongnam-city",
                "indicators": [],
                "updates": [],
            },
            {
                "title_ko": "시스템반도체 협력체계를 위한 연합회 구성·운영",
                "title_en": "Form and run a federation of system-semiconductor companies",
                "owner": "seongnam-chamber",
                "indicators": [
                    ("연합회 참여 기업", "Companies in the federation", "개", None, 240),
                ],
                "updates": [
                    (
                        datetime.date(2024, 11, 18),
                        "done",
                        "시스템반도체 클러스터 연합회 창립식을 판교 그래비티 호텔에서 열었다. "
                        "관내 240여 개 기업이 참여한다.",
                        "The system-semiconductor cluster federation was launched at the Gravity "
                        "Hotel in Pangyo; some 240 local companies take part.",
                    ),
                ],
            },
            {
                "title_ko": "시스템반도체 설계·응용 전문인력 양성과 산학 공동연구",
                "title_en": "Train design and application specialists; joint research",
                "owner": "kaist",
                "indicators": [],
                "updates": [],
            },
        ],
    },
    {
        "slug": "seongnam-cmu-etc-mou-2024",
        "title_ko": "성남시–카네기멜런대 엔터테인먼트기술센터(ETC) 협력 업무협약",
        "title_en": "Seongnam City – CMU Entertainment Technology Center cooperation MOU",
        "summary_ko": "게임·AI·AR 등 엔터테인먼트 기술 분야의 교육 교류, 산학협력, 스타트업 "
        "육성, 학위·연수 프로그램 개발에 협력한다. 판교 ETC 캠퍼스 유치를 추진한다.",
        "summary_en": "Cooperation in entertainment technology (games, AI, AR): educational "
        "exchange, industry–academia cooperation, start-up incubation and degree and "
        "training programmes, towards an ETC campus in Pangyo.",
        "signed_on": datetime.date(2024, 4, 30),
        "parties": ["seongnam-city", "cmu-etc"],
        "source_ko": "연합뉴스 2024-04-30, 경인일보 2024-04-25 보도." + ILLUSTRATIVE_KO,
        "source": "Yonhap, 2024-04-30; Kyeongin Ilbo, 2024-04-25 (announcing the signing on "
        "the 30th)." + ILLUSTRATIVE,
        "commitments": [
            {
                "title_ko": "판교 ETC 캠퍼스 유치",
                "title_en": "Bring an ETC campus to Pangyo",
                "owner": "seongnam-city",
                "indicators": [],
                "updates": [],
            },
        ],
    },
    {
        "slug": "seongnam-skku-mou-2024",
        "title_ko": "성남시–성균관대학교 시스템반도체·AI 혁신 생태계 업무협약",
        "title_en": "Seongnam City – Sungkyunkwan University MOU on system semiconductors and AI",
        "summary_ko": "분당 정자동 킨스타워에 팹리스 AI 연구센터를 열어 전문 인력 양성, 연구 "
        "기반 구축, 연구개발 활성화를 추진한다.",
        "summary_en": "A fabless AI research center at KINS Tower, Jeongja-dong, for "
        "training, research infrastructure and R&D.",
        "signed_on": datetime.date(2024, 4, 29),
        "parties": ["seongnam-city", "skku", "skku-fabless-ai-seongnam-center"],
        "source_ko": "성남시 발표(2024. 4. 29.), 연구센터 개소는 2024-11-26 보도."
        + ILLUSTRATIVE_KO,
        "source": "Seongnam City announcement of 29 Apr 2024; the center opened on "
        "26 Nov 2024 (press coverage of that date)." + ILLUSTRATIVE,
        "commitments": [
            {
                "title_ko": "팹리스 AI 성남연구센터 개소",
                "title_en": "Open the Fabless AI Seongnam Research Center",
                "owner": "skku",
                "indicators": [("연구센터 면적", "Research center floor area", "㎡", 500, 500)],
                "updates": [
                    (
                        datetime.date(2024, 11, 26),
                        "done",
                        "분당구 정자동 킨스타워 13층에 연구센터가 문을 열었다.",
                        "The research center opened on the 13th floor of KINS Tower, "
                        "Jeongja-dong, Bundang.",
                    ),
                ],
            },
        ],
    },
]

# Real universities and institutes the fictional experts and students belong to.
RESEARCH_ORGANISATIONS = (
    "sejong-university",
    "skku-fabless-ai-seongnam-center",
    "gachon-university",
    "keti",
    "sogang-pangyo-digital-innovation-campus",
)
UNIVERSITIES = ("sejong-university", "skku", "gachon-university", "kaist")
