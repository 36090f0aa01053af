"""The sample channel's posts: what an analyst sees from such a channel over ten weeks.

Claims follow the group's template in Arabic, with English translations, statements,
condolences, a threat, a denial and a news repost between them. Dates of the first claims
sit on days with real UAV alerts in the shipped alert history (Tiberias 18 Sep, Eilat 25
and 29 Sep, Katzrin in the Golan 3 Oct 2024); later claims re-use earlier footage.
Times are Baghdad local time (UTC+3).
"""

from __future__ import annotations

from dataclasses import dataclass

PREAMBLE = "استمراراً بنهجنا في مقاومة الاحتلال، ونصرةً لأهلنا في فلسطين ولبنان، "
CLOSING = "\nوتؤكد المقاومة الإسلامية استمرارها في دكّ معاقل الأعداء بوتيرة متصاعدة."


def claim(when_ar: str, target_ar: str, weapon_ar: str = "بواسطة الطيران المسيّر") -> str:
    return (
        f"بسم الله الرحمن الرحيم\n{PREAMBLE}استهدف مجاهدو المقاومة الإسلامية في العراق، "
        f"{when_ar}، {target_ar}، {weapon_ar}.{CLOSING}"
    )


@dataclass(frozen=True)
class SamplePost:
    """One post: Baghdad local time, text, and the clip (by name) it carries, if any."""

    when: str
    text: str
    clip: str | None = None
    photo: str | None = None
    edited_text: str | None = None


POSTS: tuple[SamplePost, ...] = (
    SamplePost(
        "2024-09-18 05:10",
        claim("فجر اليوم الأربعاء", "هدفاً حيوياً في طبريا المحتلة"),
        clip="tiberias",
    ),
    SamplePost(
        "2024-09-20 18:00",
        "بيان: تبارك المقاومة الإسلامية في العراق العمليات البطولية "
        "لإخوتنا في لبنان، وتؤكد أن جبهات الإسناد مستمرة.",
    ),
    SamplePost(
        "2024-09-25 21:05",
        claim("مساء اليوم الأربعاء", "هدفاً في أم الرشراش (إيلات) المحتلة"),
        clip="eilat_evening",
    ),
    SamplePost(
        "2024-09-25 21:40",
        "The Islamic Resistance in Iraq targeted a vital target in "
        "Eilat this evening with drones, as part of its support for Palestine and Lebanon.",
    ),
    SamplePost(
        "2024-09-29 06:20",
        claim("فجر اليوم الأحد", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="eilat_dawn",
    ),
    SamplePost(
        "2024-10-01 12:00",
        "تتقدم المقاومة الإسلامية في العراق بأحرّ التعازي إلى الأمة "
        "الإسلامية باستشهاد ثلّة من المجاهدين، سائلين الله أن يتغمدهم بواسع رحمته.",
    ),
    SamplePost(
        "2024-10-03 15:20", claim("ظهر اليوم الخميس", "هدفاً حيوياً في الجولان المحتل"), clip="golan"
    ),
    SamplePost(
        "2024-10-03 15:55",
        "Islamic Resistance in Iraq: our fighters attacked a target "
        "in the occupied Golan Heights at noon today using drones.",
    ),
    SamplePost(
        "2024-10-04 20:00",
        "تحذّر المقاومة الإسلامية في العراق العدو الأمريكي من أن "
        "قواعده في المنطقة ستكون أهدافاً مشروعة إن استمر دعمه للكيان.",
    ),
    SamplePost(
        "2024-10-06 22:10",
        claim("مساء اليوم الأحد", "هدفاً حيوياً في أراضينا المحتلة"),
        clip="tiberias_reencoded",
    ),
    SamplePost(
        "2024-10-08 04:50",
        claim("فجر اليوم الثلاثاء", "هدفين في ميناء حيفا المحتلة بعمليتين"),
        clip="eilat_evening_cropped",
        edited_text=claim("فجر اليوم الثلاثاء", "هدفين حيويين في ميناء حيفا المحتلة بعمليتين"),
    ),
    SamplePost(
        "2024-10-10 23:30",
        claim(
            "ليلة اليوم الخميس",
            "هدفاً حيوياً في أم الرشراش المحتلة",
            "بواسطة صاروخ كروز (الأرقب) المطوّر",
        ),
        clip="arqab",
    ),
    SamplePost(
        "2024-10-14 19:45",
        claim("مساء اليوم الاثنين", "هدفاً عسكرياً في الجولان المحتل"),
        clip="golan_mirrored",
    ),
    SamplePost(
        "2024-10-16 10:00",
        "نقلاً عن إعلام العدو: جيش الاحتلال يعلن اعتراض طائرة مسيّرة "
        "أُطلقت من الشرق قبل دخولها الأجواء.",
    ),
    SamplePost("2024-10-20 05:40", claim("فجر اليوم الأحد", "هدفاً حيوياً في طبريا المحتلة")),
    SamplePost(
        "2024-10-24 21:10", claim("مساء اليوم الخميس", "قاعدة عين الأسد", "بالطيران المسيّر")
    ),
    SamplePost("2024-10-27 06:05", claim("فجر اليوم الأحد", "هدفاً حيوياً في جنوب الأراضي المحتلة")),
    SamplePost(
        "2024-10-29 05:15",
        claim("فجر اليوم الثلاثاء", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="eilat_dawn_trimmed",
    ),
    SamplePost(
        "2024-10-29 22:30",
        claim("مساء اليوم الثلاثاء", "هدفاً في الجولان المحتل"),
        clip="night_launch",
    ),
    SamplePost("2024-10-30 04:40", claim("فجر اليوم الأربعاء", "هدفاً حيوياً في البحر الميت")),
    SamplePost(
        "2024-10-31 06:00",
        claim("فجر اليوم الخميس", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="eilat_dawn_second_angle",
    ),
    SamplePost("2024-11-01 05:02", claim("فجر اليوم الجمعة", "هدفاً حيوياً في طبريا المحتلة")),
    SamplePost("2024-11-01 05:06", claim("فجر اليوم الجمعة", "هدفاً حيوياً في الجولان المحتل")),
    SamplePost(
        "2024-11-01 05:09", claim("فجر اليوم الجمعة", "هدفاً حيوياً في حيفا المحتلة"), photo="arqab"
    ),
    SamplePost(
        "2024-11-01 19:30",
        "The Islamic Resistance in Iraq carried out three drone "
        "attacks at dawn today on targets in Tiberias, the Golan and Haifa.",
    ),
    SamplePost("2024-11-02 06:30", claim("فجر اليوم الجمعة", "هدفاً حيوياً في إيلات")),
    SamplePost(
        "2024-11-03 21:00",
        claim("مساء اليوم الأحد", "هدفاً حيوياً في أراضينا المحتلة"),
        clip="tiberias_compilation",
    ),
    SamplePost(
        "2024-11-04 05:30",
        claim("فجر اليوم الاثنين", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="fresh_site_launch",
    ),
    SamplePost(
        "2024-11-06 12:00",
        "#المقاومة_الإسلامية_في_العراق 🇮🇶 عهدنا مع الشهداء باقٍ. <b>لن نتراجع</b>",
    ),
    SamplePost("2024-11-09 05:50", claim("فجر اليوم السبت", "هدفاً حيوياً في الجولان المحتل")),
    SamplePost(
        "2024-11-12 22:00",
        claim("مساء اليوم الثلاثاء", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="eilat_evening_logo",
    ),
    SamplePost("2024-11-15 06:10", claim("فجر اليوم الجمعة", "هدفاً حيوياً في طبريا المحتلة")),
    SamplePost(
        "2024-11-19 14:00",
        "تنفي المقاومة الإسلامية في العراق ما تتداوله وسائل الإعلام "
        "عن وقف عملياتها، وتؤكد أن قرارها بيد قيادتها وحدها.",
    ),
    SamplePost(
        "2024-11-24 05:45",
        claim("فجر اليوم الأحد", "هدفاً حيوياً في أم الرشراش المحتلة"),
        clip="eilat_dawn_greyscale",
    ),
)
