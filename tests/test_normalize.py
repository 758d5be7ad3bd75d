"""The normaliser, on real strings from the five sources."""

from casebook.normalize import count_occurrences, normalize, normalize_with_map, remove_artifacts


def test_pinyin_artifacts_removed_but_genuine_parentheses_kept():
    assert normalize("內(nèi)蒙古鄂爾多斯市象棋廣場(chǎng)") == "内蒙古鄂尔多斯市象棋广场"
    assert normalize("是吉黑蒙三省(區)交匯處的一個地級市") == "是吉黑蒙三省(区)交汇处的一个地级市"
    # nested: a genuine parenthesis that contains artifacts
    assert normalize("在街道(蘇木鄉(xiāng)鎮(zhèn)),按照管理方式") == "在街道(苏木乡镇),按照管理方式"
    # the neutral-tone-free syllable with ü and a latin word in parentheses stay apart
    assert remove_artifacts("綠(lǜ)色 (APP)") == "綠色 (APP)"


def test_traditional_to_simplified():
    assert normalize("中國共產黨新聞網>>黨建") == "中国共产党新闻网>>党建"
    assert normalize("佔比21.6%﹔今年在建12個") == "占比21.6%;今年在建12个"


def test_full_width_folding_matches_ascii_commas():
    assert normalize("组建“铁老汉”“红二团”等各类志愿服务队300余支，带动居民") == normalize(
        "组建“铁老汉”“红二团”等各类志愿服务队300余支,带动居民"
    )
    assert normalize("ＡＰＰ１２３") == "APP123"


def test_whitespace_and_line_breaks_removed_across_page_break():
    # Karamay: “一肩挑”比例达 / (blank lines) / 100%
    assert normalize("“一肩挑”比例达\n\n100%,平均") == "“一肩挑”比例达100%,平均"
    # Yanbian: full-width indentation
    assert normalize("\u3000\u3000延边朝鲜族自治州位于吉林省东部") == "延边朝鲜族自治州位于吉林省东部"


def test_offset_map_points_into_the_original():
    text = "內(nèi)蒙古 自治區(qū)"
    norm, offsets = normalize_with_map(text)
    assert norm == "内蒙古自治区"
    assert [text[i] for i in offsets] == list("內蒙古自治區")


def test_count_occurrences_counts_overlaps():
    assert count_occurrences("aa", "aaa") == 2
    assert count_occurrences("", "abc") == 0
