"""Chinese names for linkage: pinyin keys computed once per distinct character and name.

A name's key is its toneless pinyin, syllables joined by spaces. Characters are read without
context (names are not words), with the common reading pypinyin gives, except the first
character, read as a surname: 单 is Shàn and 曾 is Zēng as surnames, not dān and céng, so a list
that wrote 善 for 单 or 增 for 曾 still meets the registry's spelling. Homophones (张伟/章伟) share
a key by construction.
"""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin

# Surnames whose surname reading differs from the character's common reading (《百家姓》 readings).
SURNAME_READINGS = {
    "单": "shan", "曾": "zeng", "解": "xie", "仇": "qiu", "区": "ou", "朴": "piao", "查": "zha", "盖": "ge",
    "乐": "yue", "尉": "yu", "种": "chong", "繁": "po", "覃": "qin", "缪": "miao", "黑": "he", "翟": "zhai",
    "重": "chong", "员": "yun", "召": "shao", "折": "she", "长": "chang", "柏": "bai", "秘": "bi", "沈": "shen",
    "华": "hua", "任": "ren", "纪": "ji", "燕": "yan", "过": "guo", "宓": "fu", "訾": "zi", "句": "gou",
}
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐", "长孙", "宇文", "司徒", "夏侯")


@lru_cache(maxsize=65536)
def char_reading(ch: str) -> str:
    return lazy_pinyin(ch, style=Style.NORMAL, errors=lambda s: [s.lower()])[0]


@lru_cache(maxsize=1 << 20)
def pinyin_key(name: str) -> str:
    """'zhang wei' for 张伟 and 章伟; 'shan xiong xin' for 单雄信."""
    if not name:
        return ""
    name = name.replace(" ", "").replace("·", "")
    syllables = [char_reading(ch) for ch in name]
    if not name.startswith(COMPOUND_SURNAMES) and name[0] in SURNAME_READINGS:
        syllables[0] = SURNAME_READINGS[name[0]]
    return " ".join(syllables)


def pinyin_keys(names: list[str]) -> list[str]:
    return [pinyin_key(n) for n in names]
