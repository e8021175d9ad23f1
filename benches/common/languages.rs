//! Sample texts in German, Urdu and Chinese, written for these benchmarks:
//! everyday news sentences, picked pseudo-randomly into paragraphs.

const GERMAN: &[&str] = &[
    "Die Stadtverwaltung kündigte am Dienstag an, dass die Bauarbeiten an der neuen Brücke im März beginnen.",
    "Händler in der Altstadt berichten, dass weniger Kunden als im vergangenen Jahr gekommen sind.",
    "Nach Angaben des Wetterdienstes wird es in den nächsten drei Tagen im Süden häufig regnen.",
    "Die Schülerinnen und Schüler lasen „Über die Grenzen“ und sprachen über Größe, Maß und Gefühl.",
    "Der Minister sagte, das Projekt koste rund 3,5 Milliarden Euro und solle 2027 fertig sein.",
    "Am Bahnhof warteten viele Reisende, weil zwei Züge wegen einer Störung ausgefallen waren.",
    "Die Feuerwehr löschte den Brand in einer Lagerhalle, verletzt wurde niemand.",
];

const URDU: &[&str] = &[
    "شہر کی انتظامیہ نے منگل کے روز اعلان کیا کہ نئی سڑک کا کام اگلے مہینے شروع ہوگا۔",
    "مقامی تاجروں کا کہنا ہے کہ بازار میں گاہکوں کی تعداد پچھلے سال کے مقابلے میں کم ہوئی ہے۔",
    "محکمہ موسمیات کے مطابق آئندہ تین دنوں میں شمالی علاقوں میں بارش کا امکان ہے۔",
    "اسکول کے اساتذہ نے بچوں کے لیے کتابوں کی ایک نئی فہرست تیار کی ہے، جس میں 25 عنوانات شامل ہیں۔",
    "وزیر نے صحافیوں کو بتایا کہ منصوبے پر 3.5 ارب روپے لاگت آئے گی۔",
    "ریلوے اسٹیشن پر مسافروں نے کئی گھنٹے انتظار کیا کیونکہ دو گاڑیاں تاخیر سے پہنچیں۔",
    "فائر بریگیڈ نے گودام میں لگی آگ پر قابو پا لیا، کوئی زخمی نہیں ہوا۔",
];

const CHINESE: &[&str] = &[
    "市政府星期二宣布，新大桥的建设工程将于三月开始。",
    "老城区的商人表示，今年的顾客比去年少了很多。",
    "据气象部门预测，未来三天南方地区将持续降雨。",
    "学校的老师为学生准备了一份新的阅读书单，其中包括二十五本书。",
    "部长对记者说，该项目预计耗资三十五亿元，计划在2027年完成。",
    "由于两列火车发生故障，许多旅客在车站等了几个小时。",
    "消防队扑灭了一座仓库的大火，没有人受伤。",
];

/// A text of about `bytes` bytes in `language` (`german`, `urdu`,
/// `chinese`): sentences picked pseudo-randomly, five to a paragraph.
pub fn text(language: &str, bytes: usize) -> String {
    let (sentences, space) = match language {
        "german" => (GERMAN, " "),
        "urdu" => (URDU, " "),
        "chinese" => (CHINESE, ""),
        other => panic!("no sample text in {other}"),
    };
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut out = String::with_capacity(bytes + 256);
    let mut n = 0;
    while out.len() < bytes {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.push_str(sentences[(state % sentences.len() as u64) as usize]);
        n += 1;
        out.push_str(if n % 5 == 0 { "\n\n" } else { space });
    }
    out
}
