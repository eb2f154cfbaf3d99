"""The tables synthetic families are drawn from: surnames with their frequencies, given-name
characters by sex and generation, roads and mobile prefixes, household types, disabilities, major
illnesses and schooling by age group, each with its weights (`_table` makes the cumulative form
`households` draws from)."""

from __future__ import annotations

import datetime as dt
from itertools import accumulate

# The most common surnames with their approximate share of the population (per cent, census 2020).
SURNAMES = (
    ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.6), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0),
    ("吴", 1.9), ("周", 1.9), ("徐", 1.5), ("孙", 1.5), ("马", 1.4), ("朱", 1.3), ("胡", 1.2), ("郭", 1.2),
    ("何", 1.1), ("林", 1.1), ("高", 1.0), ("罗", 1.0), ("郑", 0.9), ("梁", 0.8), ("谢", 0.7), ("宋", 0.6),
    ("唐", 0.6), ("许", 0.6), ("韩", 0.6), ("冯", 0.6), ("邓", 0.6), ("曹", 0.5), ("彭", 0.5), ("曾", 0.5),
    ("肖", 0.5), ("田", 0.5), ("董", 0.5), ("袁", 0.5), ("潘", 0.4), ("于", 0.4), ("蒋", 0.4), ("蔡", 0.4),
    ("余", 0.4), ("杜", 0.4), ("叶", 0.4), ("程", 0.4), ("苏", 0.3), ("魏", 0.3), ("吕", 0.3), ("丁", 0.3),
    ("任", 0.3), ("沈", 0.3), ("姚", 0.3), ("卢", 0.3), ("姜", 0.3), ("崔", 0.3), ("钟", 0.3), ("谭", 0.3),
    ("陆", 0.3), ("汪", 0.3), ("范", 0.3), ("金", 0.3), ("石", 0.3), ("廖", 0.3), ("贾", 0.2), ("夏", 0.2),
    ("韦", 0.2), ("付", 0.2), ("方", 0.2), ("白", 0.2), ("邹", 0.2), ("孟", 0.2), ("熊", 0.2), ("秦", 0.2),
    ("邱", 0.2), ("江", 0.2), ("尹", 0.2), ("薛", 0.2), ("闫", 0.2), ("段", 0.2), ("雷", 0.2), ("侯", 0.2),
    ("龙", 0.2), ("史", 0.2), ("陶", 0.2), ("黎", 0.2), ("贺", 0.2), ("顾", 0.2), ("毛", 0.2), ("郝", 0.2),
    ("龚", 0.2), ("邵", 0.2), ("万", 0.2), ("钱", 0.2), ("严", 0.1), ("覃", 0.1), ("武", 0.1), ("戴", 0.1),
    ("莫", 0.1), ("孔", 0.1), ("向", 0.1), ("汤", 0.1), ("欧阳", 0.05), ("司马", 0.01), ("诸葛", 0.01),
)  # fmt: skip
_SURNAME_CHARS = tuple(s for s, _w in SURNAMES)
_SURNAME_CUM = tuple(accumulate(w for _s, w in SURNAMES))

# Characters of given names by sex and by the generation they were common in.
_GIVEN = {
    ("M", 0): "国建明军华文志德永福生春忠贵成林海平山宝全金荣祥兴富有庆友才长发",
    ("F", 0): "秀英兰芳玉珍桂凤华梅淑琴春花翠云霞美莲香菊爱素荣娥彩金月",
    ("M", 1): "伟勇军强磊洋涛斌波辉刚健峰超明杰鹏飞东亮林浩宇剑锋俊斌志军",
    ("F", 1): "丽静敏燕艳娟霞芳玲红婷雪琳慧莉娜萍晶倩颖洁丹秀梅",
    ("M", 2): "子浩宇轩然博文俊泽睿杰辰逸铭宸皓晨阳鑫磊宏煜航天佑",
    ("F", 2): "梓涵欣怡诗雨萱彤可馨佳琪思语晨曦婉若雅悦妍依一诺",
}
_ROADS = ("建设路", "人民路", "解放路", "幸福路", "和平路", "文化路", "新华路", "团结路", "光明路", "胜利路", "长江路", "淮河路")
_MOBILE_PREFIXES = ("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
                    "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185", "186", "187", "188",
                    "189", "191", "198", "199")  # fmt: skip

# Household types: (name, weight). The registry is of people in difficulty, so the elderly and the
# incomplete families are over-represented compared with the general population.
_HOUSEHOLD_TYPES = (
    ("elderly_alone", 20), ("single_adult", 6), ("elderly_couple", 14), ("nuclear", 30),
    ("three_generations", 12), ("stem", 8), ("single_parent", 5), ("skipped_generation", 5),
)  # fmt: skip
_TYPE_NAMES = tuple(t for t, _w in _HOUSEHOLD_TYPES)
_TYPE_CUM = tuple(accumulate(w for _t, w in _HOUSEHOLD_TYPES))

_DISABILITY_DIGIT = {"visual": 1, "hearing": 2, "speech": 3, "physical": 4, "intellectual": 5, "mental": 6, "multiple": 7}
_DISABILITY_CHILD = (("intellectual", 30), ("hearing", 15), ("speech", 15), ("physical", 25), ("multiple", 10), ("visual", 5))
_DISABILITY_ADULT = (("physical", 45), ("visual", 12), ("hearing", 12), ("intellectual", 8), ("mental", 12), ("multiple", 6), ("speech", 5))
_DISABILITY_ELDERLY = (("physical", 45), ("visual", 20), ("hearing", 22), ("mental", 4), ("multiple", 7), ("speech", 2))
_ILLNESS_CHILD = (("leukemia", 35), ("congenital_heart", 40), ("hemophilia", 10), ("aplastic_anemia", 15))
_ILLNESS_ADULT = (
    ("cancer", 30), ("uremia", 15), ("severe_mental", 15), ("stroke_sequelae", 10), ("tuberculosis", 5), ("aids", 2),
    ("diabetes_complications", 13), ("organ_transplant", 3), ("leukemia", 4), ("aplastic_anemia", 3),
)  # fmt: skip
_ILLNESS_ELDERLY = (("cancer", 35), ("stroke_sequelae", 30), ("uremia", 10), ("diabetes_complications", 20), ("tuberculosis", 5))
# Katz order: bathing is lost first, eating last.
# Second-generation disability certificates (第二代残疾人证) are issued since 2008.
_CERTIFICATES_SINCE = dt.date(2008, 1, 1).toordinal()
_SELF_CARE_ORDER = ("can_bathe", "can_dress", "can_toilet", "can_get_up", "can_walk_indoors", "can_eat")
_ATTAINMENT = (  # (born before, ((level, weight), …)) for people out of school
    (1950, (("none", 45), ("primary", 40), ("junior", 12), ("senior", 3))),
    (1970, (("none", 15), ("primary", 40), ("junior", 35), ("senior", 8), ("vocational", 2))),
    (1990, (("primary", 15), ("junior", 50), ("senior", 20), ("vocational", 7), ("college", 8))),
    (9999, (("junior", 30), ("senior", 25), ("vocational", 15), ("college", 30))),
)


def _table(pairs):
    return tuple(k for k, _w in pairs), tuple(accumulate(w for _k, w in pairs))


_DISABILITY_TABLES = {"child": _table(_DISABILITY_CHILD), "adult": _table(_DISABILITY_ADULT), "elderly": _table(_DISABILITY_ELDERLY)}
_ILLNESS_TABLES = {"child": _table(_ILLNESS_CHILD), "adult": _table(_ILLNESS_ADULT), "elderly": _table(_ILLNESS_ELDERLY)}
_ATTAINMENT_TABLES = tuple((year, _table(pairs)) for year, pairs in _ATTAINMENT)
