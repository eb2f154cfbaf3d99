"""Chinese names for linkage: pinyin keys computed once per distinct character and name.

A name's key is its toneless pinyin, syllables joined by spaces. Characters are read without
context (names are not words), with the common reading pypinyin gives, except the first
character, read as a surname: 单 is Shàn and 曾 is Zēng as surnames, not dān and céng, so a list
that wrote 善 for 单 or 增 for 曾 still meets the registry's spelling. Homophones (张伟/章伟) share
a key by construction.

Names are compared by their `name_key`: NFKC (full-width letters become ASCII), no white space,
and none of the separators lists write inside minority names (王·买买提, 王•买买提, 王.买买提 and
王买买提 are one name). The name as written is kept for display.

`given_name` is the name without its surname (a compound surname such as 欧阳 counts whole):
linkage refuses to auto-link two names whose given names share no character and sound different
(`given_names_differ`), since a surname alone says little.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein

from pypinyin import Style, lazy_pinyin

# Surnames whose surname reading differs from the character's common reading (《百家姓》 readings).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha", "盖": "ge",
    "乐": "yue", "尉": "yu", "种": "chong", "繁": "po", "覃": "qin", "缪": "miao", "黑": "he", "翟": "zhai",
    "重": "chong", "员": "yun", "召": "shao", "折": "she", "长": "chang", "柏": "bai", "秘": "bi", "沈": "shen",
    "华": "hua", "任": "ren", "纪": "ji", "燕": "yan", "过": "guo", "宓": "fu", "訾": "zi", "句": "gou",
}
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯")


# white space, zero-width characters, and the separators written inside minority names (middle
# dots of every width and font, full stops)
NAME_IGNORED = r"[\s\x1c-\x1f\u00ad\u200b-\u200d\u2060\ufeff·•・.．‧･∙⋅\u2027\u00b7\u30fb\uff65]"
_NAME_IGNORED = re.compile(NAME_IGNORED)
# given names whose pinyin agree less than this are different names: one initial or final
# confused (li/ni, zhen/zheng, si/shi, lan/nan) keeps half the letters or more; two unrelated
# syllables (wei/hui 0.33, fang/hua 0) or given names (xuan tong/lin fang 0.44) do not
GIVEN_PINYIN_MIN = 0.5


def name_key(name: str | None) -> str:
    """The form names are compared in: 'Ｌｉ Ｍｉｎｇ' → 'LiMing', '王·买买提' → '王买买提'."""
    if not name:
        return ""
    return _NAME_IGNORED.sub("", unicodedata.normalize("NFKC", name))


def name_key_col(expr):
    """`name_key` for a Polars text column."""
    return expr.fill_null("").str.normalize("NFKC").str.replace_all(NAME_IGNORED, "")


def surname_length(name: str) -> int:
    return 2 if name.startswith(COMPOUND_SURNAMES) and len(name) > 2 else 1 if name else 0


def given_name(name: str) -> str:
    """The name without its surname: 琳芳 of 王琳芳, 娜娜 of 欧阳娜娜."""
    name = name_key(name)
    return name[surname_length(name):]


@lru_cache(maxsize=1 << 20)
def given_key(name: str) -> str:
    """The toneless pinyin of the given name, read as ordinary characters."""
    return " ".join(char_reading(ch) for ch in given_name(name))


def given_names_differ(left: str, right: str) -> bool:
    """True when the given names share no character and their pinyin agree less than
    GIVEN_PINYIN_MIN: the two names have nothing but (at most) the surname in common. Names
    without a given name are not judged."""
    a, b = given_name(left), given_name(right)
    if not a or not b or set(a) & set(b):
        return False
    return Levenshtein.normalized_similarity(given_key(left), given_key(right)) < GIVEN_PINYIN_MIN


@lru_cache(maxsize=65536)
def char_reading(ch: str) -> str:
    return lazy_pinyin(ch, style=Style.NORMAL, errors=lambda s: [s.lower()])[0]


@lru_cache(maxsize=1 << 20)
def pinyin_key(name: str) -> str:
    """'zhang wei' for 张伟 and 章伟; 'shan xiong xin' for 单雄信."""
    if not name:
        return ""
    name = name_key(name)
    if not name:
        return ""
    syllables = [char_reading(ch) for ch in name]
    if not name.startswith(COMPOUND_SURNAMES) and name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return " ".join(syllables)


def pinyin_keys(names: list[str]) -> list[str]:
    return [pinyin_key(n) for n in names]
