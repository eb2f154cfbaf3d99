"""The shipped parameters' texts (labels, descriptions, grade labels and units of
`parameters/defaults.yaml`), marked for the catalogue: the YAML is not Python, so makemessages
cannot find them there. Pages and the engine translate them with `_()` where they are shown; a
value an administrator adds locally keeps its own words. `tests/test_parameter_texts.py` fails
when the YAML gains a text that is not here: run `python -m bangfu.policy.parameter_texts` and
paste its output over TEXTS, then translate the new entries.
"""

from __future__ import annotations

from typing import Any, Mapping

from django.utils.translation import gettext_noop, pgettext_lazy


def texts_of(data: Mapping[str, Any]) -> list[str]:
    """Every text of a parameters YAML mapping users read but its units, in file order."""
    found: list[str] = []
    for body in data.values():
        candidates = [body.get("label"), body.get("description")]
        for spec in body.get("values") or []:
            if isinstance(spec.get("value"), list):
                candidates += [g.get("label") for g in spec["value"] if isinstance(g, dict)]
        found += [t for t in candidates if t and t not in found]
    return found


TEXTS = (
    gettext_noop("城市低保标准"),
    gettext_noop("城市居民最低生活保障标准，按人按月计。由设区的市级人民政府按当地居民生活必需的费用确定、公布。"),
    gettext_noop("农村低保标准"),
    gettext_noop("农村居民最低生活保障标准，按人按月计。由设区的市级人民政府确定、公布；城乡统筹的地方与城市标准相同。"),
    gettext_noop("低保标准占上年城镇居民人均消费支出比例下限"),
    gettext_noop("低保标准原则上按上年度城镇居民人均消费支出的 25%—35% 确定；界面据此提示区间。"),
    gettext_noop("低保标准占上年城镇居民人均消费支出比例上限"),
    gettext_noop("同上，区间上限。"),
    gettext_noop("低收入认定倍数"),
    gettext_noop("家庭月人均收入不高于低保标准的该倍数（含本数）且财产符合规定的，为低收入贫困对象。"),
    gettext_noop("低保边缘家庭认定倍数"),
    gettext_noop("不符合低保条件、家庭月人均收入低于低保标准的该倍数（不含本数）且财产符合规定的，为低保边缘家庭。"),
    gettext_noop("支出型贫困家庭纳入低保"),
    gettext_noop("扣除刚性支出后人均收入低于低保标准的支出型贫困家庭，是否按规定纳入低保。"),
    gettext_noop("不计入家庭收入的收入类型"),
    gettext_noop("奖励性收入、社会救助金、残疾人两项补贴等不计入家庭收入；工资应为扣除必要就业成本后的金额。"),
    gettext_noop("可扣减的刚性支出类型"),
    gettext_noop("计算家庭收入时可扣减的刚性支出（医疗自付、残疾康复护理、教育）；多重致贫可叠加扣除。"),
    gettext_noop("刚性支出叠加扣除"),
    gettext_noop("是：各类刚性支出相加后扣减；否：只扣减数额最大的一类。"),
    gettext_noop("医疗支出扣减上限"),
    gettext_noop("每户每月可扣减的医疗自付费用上限；空值为不设上限。"),
    gettext_noop("残疾康复护理支出扣减上限"),
    gettext_noop("每户每月可扣减的残疾康复护理费用上限；空值为不设上限。"),
    gettext_noop("教育支出扣减上限"),
    gettext_noop("每户每月可扣减的教育费用上限；空值为不设上限。"),
    gettext_noop("存款限额（人均低保标准月数）"),
    gettext_noop("家庭存款及有价证券总额不超过“该月数 × 当地低保标准 × 家庭人数”（含本数）的，视为符合规定（示例值，由地方规定）。"),
    gettext_noop("可拥有机动车数量上限"),
    gettext_noop("计价机动车辆数量不超过该数（含）的，视为符合规定；低于豁免价值的代步车辆不计（示例值）。"),
    gettext_noop("机动车豁免价值"),
    gettext_noop("单辆价值低于该数的机动车（如残疾人功能性补偿代步车、摩托车）不计入车辆数（示例值）。"),
    gettext_noop("可拥有经营实体数量上限"),
    gettext_noop("经营实体（个体工商户、企业等）数量不超过该数（含）的，视为符合规定（示例值）。"),
    gettext_noop("可拥有住房套数上限"),
    gettext_noop("家庭住房套数不超过该数（含）的，视为符合规定（示例值）。"),
    gettext_noop("A类人员增发比例"),
    gettext_noop("低保家庭中的A类人员，按不低于本人低保补助水平的该比例增发低保金。"),
    gettext_noop("B类人员增发比例"),
    gettext_noop("低保家庭中的B类人员，按不低于本人低保补助水平的该比例增发低保金；同时符合两类的就高，不重复。"),
    gettext_noop("A类人员条件"),
    gettext_noop("符合任一条件即为A类人员。条件由省级规定，此为示例：持证一、二级重度残疾、达到A类年龄线（80 岁）、患重特大疾病。"),
    gettext_noop("B类人员条件"),
    gettext_noop("符合任一条件即为B类人员。示例：三、四级残疾、达到B类年龄线（60 岁）、在校未成年人。"),
    gettext_noop("A类年龄线"),
    gettext_noop("条件 aged_a 的年龄线（生日当天即满该周岁）。"),
    gettext_noop("B类年龄线"),
    gettext_noop("条件 aged_b 的年龄线。"),
    gettext_noop("成年年龄"),
    gettext_noop("未成年人（儿童）与成年人的分界，用于“弱”对象和在校未成年人。"),
    gettext_noop("“老”对象年龄线"),
    gettext_noop("四类特殊困难对象中“老”对象的年龄线（80 岁，生日当天即满）。"),
    gettext_noop("孤寡、留守困难老人年龄线"),
    gettext_noop("住房安全跟进及“孤寡困难老人”类别所指老人的年龄线。"),
    gettext_noop("特困人员老年年龄线"),
    gettext_noop("年满该周岁视为无劳动能力（特困人员认定）。"),
    gettext_noop("特困人员未成年年龄线"),
    gettext_noop("未满该周岁视为无劳动能力（特困人员认定）。"),
    gettext_noop("特困人员残疾条件"),
    gettext_noop("残疾等级不高于所列等级（数字越小越重）的，视为无劳动能力：智力、精神一至三级，肢体一、二级，视力一级。"),
    gettext_noop("经认定无劳动能力者计入"),
    gettext_noop("登记为“无劳动能力”的人员，虽不属于年龄、残疾情形，也视为无劳动能力（省级规定的其他情形）。"),
    gettext_noop("法定义务人最低年龄"),
    gettext_noop("同户其他成员未满该周岁的，不作为赡养、扶养义务人（成年子女才负赡养义务）；年满的，按《特困人员认定办法》第十条所列情形判断有无履行义务能力。"),
    gettext_noop("无履行义务能力的低保对象年龄线"),
    gettext_noop("年满该周岁的最低生活保障对象，为无履行义务能力的法定义务人。"),
    gettext_noop("无履行义务能力的老年人年龄线"),
    gettext_noop("年满该周岁、本人收入低于当地上年人均可支配收入且财产符合当地低保家庭财产状况规定的老年人，为无履行义务能力的法定义务人。"),
    gettext_noop("当地上年居民人均可支配收入（月均）"),
    gettext_noop("当地上年居民人均可支配收入按月折算。同户的老年人、重度残疾人本人月收入低于此数且家庭财产符合规定的，为无履行义务能力的法定义务人。全国值为国家统计局公布的上年全国居民人均可支配收入除以 12（示例值），各地须设置本地数。"),
    gettext_noop("半护理（部分失能）起点"),
    gettext_noop("六项日常生活活动（吃饭、穿衣、上下床、如厕、室内行走、洗澡）中不能自理的项数达到该数的，为部分失能。"),
    gettext_noop("全护理（完全失能）起点"),
    gettext_noop("六项中不能自理的项数达到该数的，为完全失能。"),
    gettext_noop("特困人员基本生活标准最低倍数"),
    gettext_noop("特困人员基本生活标准不得低于当地低保标准的该倍数；未单独设定基本生活标准的，按低保标准 × 该倍数向上取整到元计。"),
    gettext_noop("城市特困人员基本生活标准"),
    gettext_noop("城市特困人员基本生活标准，按人按月计，由省级或设区的市级人民政府确定、公布；不得低于当时城市低保标准的最低倍数。空值为按城市低保标准 × 最低倍数（向上取整到元）计。"),
    gettext_noop("农村特困人员基本生活标准"),
    gettext_noop("农村特困人员基本生活标准，按人按月计，由省级或设区的市级人民政府确定、公布；不得低于当时农村低保标准的最低倍数。空值为按农村低保标准 × 最低倍数（向上取整到元）计。"),
    gettext_noop("分散供养特困人员照料护理标准（全自理）"),
    gettext_noop("分散供养、生活自理能力评估为“全自理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("分散供养特困人员照料护理标准（半护理）"),
    gettext_noop("分散供养、生活自理能力评估为“半护理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("分散供养特困人员照料护理标准（全护理）"),
    gettext_noop("分散供养、生活自理能力评估为“全护理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("集中供养特困人员照料护理标准（全自理）"),
    gettext_noop("集中供养、生活自理能力评估为“全自理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("集中供养特困人员照料护理标准（半护理）"),
    gettext_noop("集中供养、生活自理能力评估为“半护理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("集中供养特困人员照料护理标准（全护理）"),
    gettext_noop("集中供养、生活自理能力评估为“全护理”的特困人员的照料护理标准，按人按月计，根据生活自理能力和服务需求分档制定。"),
    gettext_noop("宗教教职人员单独申请居住年限"),
    gettext_noop("脱离家庭、在宗教场所居住满该年数（含）的生活困难宗教教职人员，可单独申请低保。"),
    gettext_noop("劳动年龄下限"),
    gettext_noop("核查分类时“有劳动能力的家庭成员”的最低年龄。"),
    gettext_noop("劳动年龄上限"),
    gettext_noop("年满该周岁者不计为“有劳动能力的家庭成员”。"),
    gettext_noop("固定收入类型"),
    gettext_noop("只有这些类型收入的家庭视为收入来源固定；有其他类型收入（或无任何收入）且有劳动年龄内有劳动能力成员的，为B类。"),
    gettext_noop("A类家庭核查周期"),
    gettext_noop("生活状况相对稳定的A类低保家庭，每年核查一次。"),
    gettext_noop("B类家庭核查周期"),
    gettext_noop("收入来源不固定、成员有劳动能力的B类低保家庭，每半年核查一次。"),
    gettext_noop("义务教育起始年龄"),
    gettext_noop("该年龄至义务教育结束年龄（含）的儿童应在校。"),
    gettext_noop("义务教育结束年龄"),
    gettext_noop("九年义务教育的最高年龄（含本数）。"),
    gettext_noop("残疾证年检周期"),
    gettext_noop("最近年审（无年审记录的按发证日期）满该月数未再年审的，提示督促换证。"),
    gettext_noop("存在安全隐患的住房"),
    gettext_noop("孤寡、留守困难老人的住房属于这些鉴定结果的，提示反馈村委。"),
    gettext_noop("医疗自费超额标准"),
    gettext_noop("重病患者家庭月均医疗自付费用超过该数的，建议临时救助和县爱心扶贫基金救助（“病”对象，示例值）。"),
    gettext_noop("急难事件追溯天数"),
    gettext_noop("评估日前该天数内（含）发生的火灾、事故、突发重病、灾害等急难事件，建议急难型临时救助。"),
    gettext_noop("支出型临时救助需求月数"),
    gettext_noop("支出型困难的救助需求 = 家庭无力负担的月刚性支出 × 该月数。"),
    gettext_noop("临时救助分档"),
    gettext_noop("按救助需求相当于当地月低保标准的倍数分档，每档救助金额不超过该档最高倍数的月低保标准，且不超过需求。"),
    gettext_noop("一档（一般困难）"),
    gettext_noop("二档（较大困难）"),
    gettext_noop("三档（重大困难）"),
    gettext_noop("乡镇审批临时救助限额"),
    gettext_noop("建议救助金额不超过该数（含）的，乡镇（街道）可直接审批；急难型可先行救助后补手续。"),
    gettext_noop("近期未通过、近期退保筛查月数"),
    gettext_noop("申请在该月数内被决定不予批准的对象、低保在该月数内停发（最后发放月在该期间内）的家庭，列入重新筛查名单。"),
    gettext_noop("临时救助对象筛查月数"),
    gettext_noop("在该月数内获得临时救助的家庭，列入重新筛查名单。"),
    gettext_noop("个人补助水平取整"),
    gettext_noop("每人本人低保补助水平及分类增发金额的取整方式（fen = 四舍五入到分）。"),
    gettext_noop("家庭低保金取整"),
    gettext_noop("家庭月低保金（含增发）及临时救助金额的取整方式（yuan_up = 不足一元按一元计）。"),
)


def units_of(data: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(str(body["unit"]) for body in data.values() if body.get("unit")))


# Units are short words other catalogues also use ("天" for days overdue): they carry a context.
UNITS = (
    pgettext_lazy("parameter unit", "元/人·月"),
    pgettext_lazy("parameter unit", "%"),
    pgettext_lazy("parameter unit", "倍"),
    pgettext_lazy("parameter unit", "元/户·月"),
    pgettext_lazy("parameter unit", "个月"),
    pgettext_lazy("parameter unit", "辆"),
    pgettext_lazy("parameter unit", "元/辆"),
    pgettext_lazy("parameter unit", "个"),
    pgettext_lazy("parameter unit", "套"),
    pgettext_lazy("parameter unit", "周岁"),
    pgettext_lazy("parameter unit", "级"),
    pgettext_lazy("parameter unit", "项"),
    pgettext_lazy("parameter unit", "年"),
    pgettext_lazy("parameter unit", "天"),
    pgettext_lazy("parameter unit", "倍月低保标准"),
    pgettext_lazy("parameter unit", "元/次"),
)


if __name__ == "__main__":
    import json

    import yaml

    from .parameters.loading import DEFAULTS_PATH

    for text in texts_of(yaml.safe_load(DEFAULTS_PATH.read_text(encoding="utf-8"))):
        print(f"    gettext_noop({json.dumps(text, ensure_ascii=False)}),")
