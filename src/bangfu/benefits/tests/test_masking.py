import pytest

from bangfu.benefits.masking import mask_name


@pytest.mark.parametrize(("name", "masked"), [
    ("张伟", "张*"),  # the example of the brief: 张*
    ("张三丰", "张**"),
    ("欧阳娜娜", "欧阳**"),  # compound surname kept whole: 欧阳**
    ("欧阳", "欧*"),  # two characters only: surname 欧 + given name 阳
    ("王", "*"),
    ("", ""),
    (None, ""),
    ("阿依古丽·买买提", "阿***"),  # a long transliterated name: length not revealed
])
def test_mask_name(name, masked):
    assert mask_name(name) == masked
