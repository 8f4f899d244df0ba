"""The controlled vocabularies of a person's record that statistics count by, and the classes
they fall in (stated on the statistics pages as the definitions used).

民族: the 56 names of GB/T 3304 in its order, with its 其他 and 外国血统中国籍人士. 少数民族 are the
55 after 汉族. 学历 and 职业类别 are Person.Education and Person.Occupation; the classes below say
which of them count as 高中以上文化 (seed 004), 大专及以上 (党内统计公报) and 生产工作一线."""

from __future__ import annotations

ETHNIC_GROUPS = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族",
    "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族",
    "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族",
    "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族",
    "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族",
    "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)  # fmt: skip
MAJORITY = "汉族"
MINORITIES = ETHNIC_GROUPS[1:]
OTHER_ETHNICITIES = ("其他", "外国血统中国籍人士")
ETHNICITY_CHOICES = [(name, name) for name in (*ETHNIC_GROUPS, *OTHER_ETHNICITIES)]

# Person.Education values, lowest first.
SENIOR_OR_ABOVE = ("senior", "college", "bachelor", "postgraduate")  # 高中（中专）及以上
COLLEGE_OR_ABOVE = ("college", "bachelor", "postgraduate")  # 大专及以上
# Person.Occupation values counted as 生产工作一线: those who farm or work (农牧渔民, 农民工,
# 致富能手) and teachers (专业技术人员). Not: village and government cadres, students, the
# retired, veterans and the self-employed as such, nor 其他.
FRONTLINE = ("farmer", "wealth_leader", "migrant_worker", "teacher")
YOUTH_AGE = 35  # 35岁及以下: age on the day of admission
