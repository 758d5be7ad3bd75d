"""The number reader, on real strings from the five sources."""

from decimal import Decimal

import pytest

from casebook.normalize import normalize
from casebook.numbers import chinese_to_int, format_value, read_numbers


def mentions(text):
    return [(m.value, m.qualifier, m.percent) for m in read_numbers(normalize(text))]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("推动2600余家驻区单位", [(2600, "more_than", False)]),
        ("3.7万名在职党员到社区报到", [(37000, "exact", False)]),
        ("城市人口比重近七成", [(70, "about", True)]),
        ("大专以上学历占98.9%", [(Decimal("98.9"), "exact", True)]),
        ("地区生产总值增长至886.9亿元", [(88_690_000_000, "exact", False)]),
        ("累计生产天然气164.7亿立方米", [(16_470_000_000, "exact", False)]),
        ("组建各类志愿服务队30余支", [(30, "more_than", False)]),
        ("组建“铁老汉”“红二团”等各类志愿服务队300余支", [(300, "more_than", False)]),
        ("50%以上社区设置物业服务窗口", [(50, "at_least", True)]),
        ("平均面積達到1600平方米以上", [(1600, "at_least", False)]),
        ("大專以上學歷超過87%", [(87, "more_than", True)]),
        ("各社區平均辦公、為民服務及黨建工作經費超過30萬元", [(300000, "more_than", False)]),
        ("人均工资每年提高3800多元", [(3800, "more_than", False)]),
        ("從過去的不足千家增加到8280多家", [(1000, "less_than", False), (8280, "more_than", False)]),
        ("社區黨組織服務群眾專項經費年平均達10.5萬元", [(105000, "exact", False)]),
        ("帶動112個市直部門的千余名干部", [(112, "exact", False), (1000, "more_than", False)]),
        ("勸導拆除違章建筑萬余戶、18萬平方米", [(10000, "more_than", False), (180000, "exact", False)]),
        ("延边州连续五次被评为", [(5, "exact", False)]),
        ("提供物資240余萬元", [(2_400_000, "more_than", False)]),
        ("城市人口由過去的不足百萬增加到161.5萬", [(1_000_000, "less_than", False), (1_615_000, "exact", False)]),
        ("“一肩挑”比例达\n\n100%", [(100, "exact", True)]),
        ("40岁以下占74.7%", [(40, "at_most", False), (Decimal("74.7"), "exact", True)]),
        # 逾 is "more than" like 超过; 不少于 and 以上 include the number (at least)
        ("逾百人参加", [(100, "more_than", False)]),
        ("每年不少于12次", [(12, "at_least", False)]),
        # projections: 预计 / 计划 / 目标 before the number, in the same clause
        ("预计每月增加财政投入4300万元", [(43_000_000, "projected", False)]),
        ("计划新建党群服务中心20个", [(20, "projected", False)]),
        ("目标覆盖率达到95%", [(95, "projected", True)]),
        ("以为民服务为目标,建成站点12个", [(12, "exact", False)]),
        # 近千 is about 1000; 数十 / 数百 / 几十 state no value
        ("近千名党员参加", [(1000, "about", False)]),
        ("数十个社区", []),
        ("数百名志愿者和数万户居民", []),
        ("几十个小区", []),
    ],
)
def test_reads_value_multiplier_and_qualifier(text, expected):
    assert mentions(text) == [(Decimal(v), q, p) for v, q, p in expected]


def test_programme_names_without_measure_words_are_not_numbers():
    # 一号工程, 三长一员, 两委: no measure word, no number
    assert mentions("書記一號工程") == []
    assert mentions("实行“三长一员一民警”模式") == []
    assert mentions("社区“两委”班子") == []


@pytest.mark.parametrize(
    "text, value",
    [("七", 7), ("十八", 18), ("一百二十", 120), ("三千", 3000), ("万", 10000), ("两万五千", 25000), ("十", 10)],
)
def test_chinese_numerals(text, value):
    assert chinese_to_int(text) == value


@pytest.mark.parametrize(
    "value, shown",
    [
        (37000, "3.7万"),
        (88_690_000_000, "886.9亿"),
        (20816, "20816"),
        (98.9, "98.9"),
        (105000, "10.5万"),
        (2017, "2017"),
        (146000, "14.6万"),
    ],
)
def test_format_value_like_the_sources(value, shown):
    assert format_value(value) == shown
