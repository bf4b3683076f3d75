"""Deterministic generator of a realistic Chinese government-information corpus.

``generate(n, seed=…)`` yields ``SearchDoc``-shaped dicts: titles built from agency names,
actions and subjects; 文号 such as 通政发〔2012〕12号; bodies whose length is log-normal
around ``body_chars`` (1,500 by default), made of government phrases (at ``phrase_rate``)
and ordinary sentences; and some out-of-dictionary personal-style names (``name_rate``) so
substring search has something jieba will not find as a word.

Marker terms give the benchmark query classes fixed document frequencies:
* rare   — ``RARE_TERMS``, each in about 1 document in 20,000;
* medium — ``MEDIUM_TERMS``, each in about 1 %;
* common — ``工作``/``发展``, in most documents (they are in most phrases).
Everything depends only on (n, seed, rates): the same arguments give the same corpus.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator
from typing import Any

AGENCIES = [
    ("通化市民政局", "通民发"),
    ("通化市财政局", "通财发"),
    ("通化市人民政府", "通政发"),
    ("通化市人民政府办公室", "通政办发"),
    ("通化市农业农村局", "通农发"),
    ("通化市教育局", "通教发"),
    ("通化市卫生健康委员会", "通卫发"),
    ("通化市住房和城乡建设局", "通建发"),
    ("通化市人力资源和社会保障局", "通人社发"),
    ("东昌区人民政府", "东政发"),
    ("二道江区人民政府", "二政发"),
    ("通化县人民政府", "通县政发"),
]
ACTIONS = [
    "关于做好",
    "关于印发",
    "关于进一步加强",
    "关于开展",
    "关于公布",
    "关于调整",
    "关于下达",
    "关于推进",
]
SUBJECTS = [
    "农机购置补贴",
    "城乡居民最低生活保障",
    "养老服务体系建设",
    "高标准农田建设",
    "政府信息公开",
    "安全生产大检查",
    "义务教育阶段学生资助",
    "老旧小区改造",
    "基本医疗保险",
    "就业创业扶持",
    "冬季供暖保障",
    "防汛抗旱",
    "营商环境优化",
    "河湖长制",
    "数字政府建设",
]
SUFFIXES = [
    "工作的通知",
    "实施方案",
    "的实施意见",
    "管理办法",
    "的公告",
    "资金的通知",
    "情况的通报",
    "工作要点",
]
GENRES = ["notice", "opinion", "announcement", "circular", "plan", "news", "other"]
PHRASES = [
    "深入贯彻落实党中央国务院决策部署",
    "坚持以人民为中心的发展思想",
    "进一步提高工作质量和效率",
    "各地各部门要高度重视",
    "切实加强组织领导",
    "确保各项工作任务落到实处",
    "推动经济社会高质量发展",
    "认真履行监管职责",
    "按照有关规定执行",
    "结合本地区实际",
    "建立健全长效机制",
    "加大督促检查力度",
    "做好政策宣传解读工作",
    "统筹推进各项工作",
]
SENTENCES = [
    "现将有关事项通知如下",
    "申请人应当提交身份证明和相关材料",
    "补贴资金由财政部门按规定拨付",
    "审核结果在本单位网站公示七个工作日",
    "对弄虚作假骗取资金的依法追究责任",
    "本办法自印发之日起施行",
    "各县区要在规定时间内报送工作总结",
    "联系电话以各单位公布的为准",
    "符合条件的对象可以向所在地乡镇人民政府提出申请",
    "年度考核结果作为资金分配的重要依据",
    "加强信息化建设提升服务能力",
    "群众满意度明显提升",
]
RARE_TERMS = ["量子通信", "冰雪运动", "人参产业", "葡萄酒庄", "数据要素"]
MEDIUM_TERMS = ["乡村振兴", "养老服务", "公共卫生", "社会救助", "消防安全"]
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜"
GIVEN = "玥琰璟珩祎昊翀骞彧喆璠珺瑀婕珣晗琛瑾璐"


def make_name(rng: random.Random) -> str:
    """A personal-style name of rare characters (not in jieba's dictionary as a word)."""
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2))


def generate(
    n: int,
    *,
    seed: int = 20240101,
    body_chars: int = 1500,
    phrase_rate: float = 0.35,
    name_rate: float = 0.3,
    start: dt.datetime | None = None,
) -> Iterator[dict[str, Any]]:
    """Yield ``n`` documents (dicts with SearchDoc's fields), oldest first."""
    rng = random.Random(seed)
    start = start or dt.datetime(2012, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
    span = 13 * 365 * 86400
    serials: dict[tuple[str, int], int] = {}
    mu = math.log(body_chars) - 0.5 * 0.5**2  # mean of the log-normal ≈ body_chars
    for i in range(n):
        agency_i = rng.randrange(len(AGENCIES))
        agency, prefix = AGENCIES[agency_i]
        published = start + dt.timedelta(seconds=int(span * (i + rng.random()) / max(n, 1)))
        year = published.year
        serials[(prefix, year)] = serials.get((prefix, year), 0) + 1
        doc_number = f"{prefix}〔{year}〕{serials[(prefix, year)]}号" if rng.random() < 0.6 else ""
        subject = rng.choice(SUBJECTS)
        title = f"{agency}{rng.choice(ACTIONS)}{year}年{subject}{rng.choice(SUFFIXES)}"
        target = max(80, int(rng.lognormvariate(mu, 0.5)))
        parts: list[str] = [f"各县（市、区）人民政府，市政府各委办局：为做好{subject}工作"]
        length = len(parts[0])
        while length < target:
            r = rng.random()
            if r < phrase_rate:
                s = rng.choice(PHRASES)
            elif r < phrase_rate + 0.02 * name_rate:
                s = f"联系人{make_name(rng)}同志负责具体工作"
            else:
                s = rng.choice(SENTENCES)
                if rng.random() < 0.15:
                    s = f"{s}，涉及{rng.choice(SUBJECTS)}"
            parts.append(s)
            length += len(s) + 1
        if rng.random() < 0.01 * len(MEDIUM_TERMS):
            parts.insert(
                rng.randrange(1, len(parts) + 1), f"统筹做好{rng.choice(MEDIUM_TERMS)}相关工作"
            )
        if rng.random() < len(RARE_TERMS) / 20000:
            parts.insert(rng.randrange(1, len(parts) + 1), f"支持{rng.choice(RARE_TERMS)}发展")
        if rng.random() < 0.05:
            parts.append(f"（编号：GK{year}-{rng.randrange(10000):04d}，5G专网）")
        body = "，".join(parts) + "。"
        yield {
            "key": f"bench:{i}",
            "kind": "catalog",
            "agency_id": agency_i + 1,
            "title": title,
            "body_text": body,
            "doc_number": doc_number,
            "index_number": f"11220500MB{agency_i:07d}X/{year}-{i:07d}",
            "topic_code": f"{(agency_i % 21) + 1:02d}",
            "genre": GENRES[rng.randrange(len(GENRES))],
            "validity": "valid" if rng.random() < 0.9 else "expired",
            "published_at": published,
            "url": f"/xxgk/{i}/",
        }
