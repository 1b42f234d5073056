"""Articles of our own in six languages, each with what typesetting finds hardest: a
wide table, long code lines, nested lists, sub- and superscripts, a tall image, links
carrying tracking parameters. Used by tests/test_typesetting.py and `make gallery`.

The sentences are ordinary news prose written for these tests; each article repeats
them into paragraphs long enough to fill a few pages.
"""

from __future__ import annotations

import base64
import io

from server.article.model import Article

SENTENCES = {
    "en": ["The city council approved the new budget for public transport on Tuesday evening.",
           "Construction of the northern tram line will begin next spring and take three years.",
           "Residents who spoke at the meeting asked for more frequent buses at night.",
           "The mayor said the plan balances the needs of commuters with the cost to taxpayers."],
    "ko": ["시의회는 화요일 저녁 대중교통을 위한 새 예산안을 승인했다.",
           "북부 노면전차 노선 공사는 내년 봄에 시작되어 삼 년 동안 진행될 예정이다.",
           "회의에서 발언한 주민들은 야간 버스를 더 자주 운행해 달라고 요청했다.",
           "시장은 이번 계획이 통근자의 요구와 납세자의 부담 사이에서 균형을 이룬다고 말했다."],
    "ja": ["市議会は火曜日の夜、公共交通機関の新しい予算案を承認した。",
           "北部の路面電車の建設は来年の春に始まり、三年かかる見込みだ。",
           "会合で発言した住民たちは、夜間のバスの増便を求めた。",
           "市長は、この計画が通勤者の必要と納税者の負担の釣り合いを取るものだと述べた。"],
    "zh": ["市议会周二晚间批准了公共交通的新预算。",
           "北部有轨电车线路将于明年春天开工，工期三年。",
           "在会上发言的居民要求增加夜间公交车的班次。",
           "市长表示，这项计划兼顾了通勤者的需要和纳税人的负担。"],
    "ar": ["وافق مجلس المدينة مساء الثلاثاء على الميزانية الجديدة للنقل العام.",
           "سيبدأ بناء خط الترام الشمالي في الربيع المقبل ويستغرق ثلاث سنوات.",
           "طالب السكان الذين تحدثوا في الاجتماع بحافلات ليلية أكثر تواترا.",
           "قال رئيس البلدية إن الخطة توازن بين حاجات الركاب وتكلفتها على دافعي الضرائب."],
    "ru": ["Городской совет во вторник вечером утвердил новый бюджет общественного транспорта.",
           "Строительство северной трамвайной линии начнётся следующей весной и займёт три года.",
           "Жители, выступавшие на собрании, попросили чаще пускать автобусы по ночам.",
           "Мэр сказал, что план уравновешивает нужды пассажиров и расходы налогоплательщиков."],
}
TITLES = {
    "en": "Council approves the northern tram line",
    "ko": "시의회, 북부 노면전차 노선 승인",
    "ja": "市議会、北部路面電車の建設を承認",
    "zh": "市议会批准北部有轨电车线路",
    "ar": "مجلس المدينة يوافق على خط الترام الشمالي",
    "ru": "Горсовет одобрил северную трамвайную линию",
}
BYLINES = {"en": "Jane Doe", "ko": "김민수 기자", "ja": "山田太郎", "zh": "王伟", "ar": "أحمد علي", "ru": "Иван Петров"}
COLUMN_HEADS = ["Station", "Opening", "Nuclear", "Construction", "Passengers", "Platforms", "Distance",
                "Interchange", "Accessibility", "Depot", "Frequency", "Operator"]
LONG_CODE = ('curl --request POST "https://transit.example.org/api/v2/timetables/northern-line/stops'
             '?include=platforms,interchanges,accessibility&format=json" --header "Accept: application/json"')
# Rows enough for the twelve-column table to take a landscape page (tables.LANDSCAPE_MIN_ROWS).
TABLE_ROWS = 16
TALL_IMAGE = "https://news.example/images/tall-diagram.png"
TRACKED = "https://transit.example.org/plans/northern-line?id=42&utm_source=newsletter&utm_medium=email&fbclid=XYZ123"


def tall_png(width: int = 300, height: int = 1200) -> str:
    """A portrait image four times as tall as it is wide, as a data: URI."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (width, height), (200, 215, 230))
    draw = ImageDraw.Draw(image)
    for y in range(0, height, 60):
        draw.rectangle((20, y + 10, width - 20, y + 40), fill=(90, 120, 160))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def paragraphs(lang: str, count: int, start: int = 0) -> list[str]:
    sentences = SENTENCES[lang]
    joiner = "" if lang in ("ja", "zh") else " "
    out = []
    for n in range(count):
        picked = [sentences[(start + n + k) % len(sentences)] for k in range(5)]
        out.append(f"<p>{joiner.join(picked)}</p>")
    return out


def body_html(lang: str, image: str) -> str:
    rows = "".join("<tr>" + "".join(f"<td>{h} {r + 1}</td>" for h in COLUMN_HEADS) + "</tr>"
                   for r in range(TABLE_ROWS))
    table = ("<table><thead><tr>" + "".join(f"<th>{h}</th>" for h in COLUMN_HEADS) + "</tr></thead>"
             f"<tbody>{rows}</tbody></table>")
    small = ("<table><tr>" + "".join(f"<th>{h}</th>" for h in COLUMN_HEADS[:8]) + "</tr><tr>"
             + "".join(f"<td>{h.lower()}</td>" for h in COLUMN_HEADS[:8]) + "</tr></table>")
    nested = ("<ul><li>" + SENTENCES[lang][0] + "<ul><li>" + SENTENCES[lang][1] + "<ol><li>"
              + SENTENCES[lang][2] + "</li><li>" + SENTENCES[lang][3] + "</li></ol></li></ul></li><li>"
              + SENTENCES[lang][1] + "</li></ul>")
    formula = (f"<p>{SENTENCES[lang][0]} CO<sub>2</sub> 12 m<sup>2</sup> H<sub>2</sub>O E = mc<sup>2</sup> "
               f"{SENTENCES[lang][1]} x<sup>n+1</sup> {SENTENCES[lang][2]}</p>")
    link = f'<p><a href="{TRACKED}">{SENTENCES[lang][3]}</a> {SENTENCES[lang][0]}</p>'
    figure = f'<figure><img src="{image}" alt=""><figcaption>{SENTENCES[lang][2]}</figcaption></figure>'
    return "".join([
        *paragraphs(lang, 3), formula, nested, small, *paragraphs(lang, 2, 1), table, *paragraphs(lang, 2, 2),
        f"<pre><code>{LONG_CODE}</code></pre>", f"<p>{SENTENCES[lang][1]} <code>{LONG_CODE[:60]}</code></p>",
        link, *paragraphs(lang, 2, 3), figure, f'<p><img src="{image}" alt=""></p>', *paragraphs(lang, 4, 2),
    ])


def images() -> dict[str, str]:
    """The image map a print request carries for these articles (address -> data: URI)."""
    return {TALL_IMAGE: tall_png()}


def article(lang: str, *, declare_lang: bool = True) -> Article:
    return Article(url=f"https://news.example/{lang}/tram?utm_campaign=spring", title=TITLES[lang],
                   body_html=body_html(lang, TALL_IMAGE), text=" ".join(SENTENCES[lang] * 6),
                   standfirst=SENTENCES[lang][3], byline=BYLINES[lang], published="2024-05-02",
                   site_name="Example News", lang=lang if declare_lang else "")


LANGUAGES = tuple(SENTENCES)
