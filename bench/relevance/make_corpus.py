"""Write bench/relevance/corpus.jsonl, queries.tsv and judgments.tsv (deterministic).

    .venv/bin/python bench/relevance/make_corpus.py

The corpus imitates 通化市 government disclosure items: for each policy topic an older and a
newer version of its rules (the newer one repeals the older by 文号), a 政策解读, a yearly
notice, a 公示 or 通报, and 工作动态 news; plus 政府常务会议 digests that name several
topics in passing, 人事任免 notices and 任前公示, 部门预算/决算, 政府工作报告, 政府信息公开
工作年度报告 and 工作要点. Near-misses are deliberate: topics that share words (补贴, 养老,
供暖/供热, 农机), words scattered over a document, subjects in the title versus a passing
mention in the body, superseded versions, similar names (王建国/王建军) and similar 文号
(〔2021〕8号/〔2021〕18号).

Each document carries ``meta`` (its topic, type, the topics it mentions in passing, the
people it names, the 文号 it cites). The engines never see ``meta``; the judgments are
computed from it by the rules in ``judge`` below (README.md describes them), never from any
engine's output.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent

AGENCIES = {
    "gov": ("通化市人民政府", "通政发"),
    "govoffice": ("通化市人民政府办公室", "通政办发"),
    "civil": ("通化市民政局", "通民发"),
    "finance": ("通化市财政局", "通财发"),
    "agri": ("通化市农业农村局", "通农发"),
    "edu": ("通化市教育局", "通教发"),
    "health": ("通化市卫生健康委员会", "通卫发"),
    "housing": ("通化市住房和城乡建设局", "通建发"),
    "hr": ("通化市人力资源和社会保障局", "通人社发"),
    "emergency": ("通化市应急管理局", "通应急发"),
    "market": ("通化市市场监督管理局", "通市监发"),
    "medins": ("通化市医疗保障局", "通医保发"),
    "tour": ("通化市文化广播电视和旅游局", "通文旅发"),
    "env": ("通化市生态环境局", "通环发"),
    "water": ("通化市水利局", "通水发"),
    "forest": ("通化市林业局", "通林发"),
    "transport": ("通化市交通运输局", "通交发"),
    "commerce": ("通化市商务局", "通商发"),
    "fund": ("通化市住房公积金管理中心", "通公积金发"),
    "disabled": ("通化市残疾人联合会", "通残联发"),
    "veterans": ("通化市退役军人事务局", "通退役发"),
    "dev": ("通化市发展和改革委员会", "通发改发"),
    "gov_data": ("通化市政务服务和数字化建设管理局", "通政数发"),
}

# key, agency, subject (the policy's name), short name (news), the people or things it is
# about (公示 list), hand-written body sentences.
TOPICS: list[dict[str, Any]] = [
    dict(
        key="nongji",
        agency="agri",
        subject="农机购置补贴",
        short="农机购置补贴",
        listing="农机购置补贴受益农户",
        sentences=[
            "补贴机具范围为拖拉机、播种机、玉米收获机、水稻插秧机等十五大类四十个品目",
            "购机者在购机后向所在地县级农业农村部门提交补贴申请，经核验后兑付补贴资金",
            "补贴额按同档产品上年市场销售均价的百分之三十测算，单机补贴额不超过五万元",
            "严禁以任何形式将补贴资金挪作他用，对套取补贴的经销企业列入黑名单",
            "农机鉴定证书、购机发票和机具铭牌照片是申请补贴的必要材料",
        ],
    ),
    dict(
        key="nongji_safety",
        agency="agri",
        subject="农机安全生产专项整治",
        short="农机安全",
        listing=None,
        sentences=[
            "重点检查拖拉机、联合收割机的牌证管理和驾驶操作人员持证情况",
            "春耕和秋收期间开展农机安全生产宣传进村入户活动",
            "对无牌行驶、无证驾驶、违规载人等行为依法查处",
            "各乡镇要落实农机安全监理属地责任，建立隐患排查台账",
        ],
    ),
    dict(
        key="gengdi",
        agency="agri",
        subject="耕地地力保护补贴",
        short="耕地地力保护补贴",
        listing="耕地地力保护补贴发放",
        sentences=[
            "补贴对象为拥有耕地承包权的种地农民，补贴资金通过一卡通直接发放到户",
            "已改变用途的耕地、长年抛荒地和占补平衡中补充耕地质量不达标的不予补贴",
            "各乡镇要对补贴面积逐户核实并在村务公开栏公示",
            "鼓励秸秆还田、测土配方施肥，主动保护耕地地力",
        ],
    ),
    dict(
        key="gaobiao",
        agency="agri",
        subject="高标准农田建设",
        short="高标准农田建设",
        listing=None,
        sentences=[
            "统筹整合农田建设资金，集中连片建设旱涝保收、高产稳产的高标准农田",
            "建设内容包括土地平整、灌溉排水、田间道路、农田防护和土壤改良",
            "项目竣工后由县级农业农村部门组织验收并上图入库",
            "建成的高标准农田要落实管护主体和管护经费，确保长期发挥效益",
        ],
    ),
    dict(
        key="renshen",
        agency="agri",
        subject="人参产业高质量发展",
        short="人参产业",
        listing=None,
        sentences=[
            "依托长白山人参资源优势，推进人参标准化种植基地建设",
            "支持人参精深加工企业开发保健食品、化妆品和药品",
            "打造通化人参区域公用品牌，规范人参市场交易秩序",
            "对新认定的人参良种繁育基地给予一次性奖励",
        ],
    ),
    dict(
        key="putao",
        agency="commerce",
        subject="山葡萄酒产业扶持",
        short="葡萄酒产业",
        listing=None,
        sentences=[
            "支持山葡萄种植基地扩面提质，推广抗寒品种和标准化栽培技术",
            "鼓励葡萄酒企业建设酒庄和工业旅游项目，延伸产业链条",
            "对参加国内外葡萄酒展会的企业给予展位费补助",
            "加强通化葡萄酒地理标志保护，打击假冒伪劣产品",
        ],
    ),
    dict(
        key="dibao",
        agency="civil",
        subject="城乡居民最低生活保障",
        short="最低生活保障",
        listing="城乡居民最低生活保障对象",
        sentences=[
            "城市低保标准由每人每月六百八十元提高到七百一十元，农村低保标准同步提高",
            "申请低保以家庭为单位，由户主或其代理人向户籍所在地乡镇人民政府提出",
            "低保审核确认实行入户调查、民主评议和张榜公示制度",
            "对家庭经济状况发生变化的低保家庭，及时调整保障金额或停发保障金",
        ],
    ),
    dict(
        key="tekun",
        agency="civil",
        subject="特困人员救助供养",
        short="特困人员救助供养",
        listing="特困人员供养对象",
        sentences=[
            "特困人员基本生活标准不低于当地低保标准的一点三倍",
            "生活不能自理的特困人员优先安排到供养服务机构集中供养",
            "照料护理标准按照全自理、半护理、全护理三档分别确定",
            "乡镇人民政府负责特困人员供养的申请受理和审核",
        ],
    ),
    dict(
        key="yanglao",
        agency="civil",
        subject="养老服务体系建设",
        short="养老服务",
        listing=None,
        sentences=[
            "推进居家社区养老服务中心建设，每个街道至少建成一所综合性养老服务中心",
            "对新建养老机构按床位给予一次性建设补贴，对运营养老机构按入住人数给予运营补贴",
            "发展老年助餐服务，为高龄、失能老年人提供上门送餐",
            "加强养老护理员培训，落实养老护理员岗位补贴",
        ],
    ),
    dict(
        key="gaoling",
        agency="civil",
        subject="高龄老人津贴发放",
        short="高龄津贴",
        listing="高龄老人津贴发放对象",
        sentences=[
            "年满八十周岁的本市户籍老年人按月享受高龄津贴",
            "八十至八十九周岁每人每月一百元，九十周岁以上每人每月二百元",
            "高龄津贴实行社会化发放，按月打入老年人本人银行账户",
            "老年人去世或户籍迁出的，家属应当在一个月内告知社区",
        ],
    ),
    dict(
        key="laojiu",
        agency="housing",
        subject="城镇老旧小区改造",
        short="老旧小区改造",
        listing="城镇老旧小区改造计划项目",
        sentences=[
            "改造对象为二〇〇〇年底前建成、失养失修失管的城镇老旧小区",
            "基础类改造包括供水、排水、供电、供气、供热管网和屋面防水",
            "完善类改造包括加装电梯、建设停车场和无障碍设施",
            "改造方案要征求居民意见，居民同意率达到三分之二以上方可实施",
        ],
    ),
    dict(
        key="gongnuan",
        agency="housing",
        subject="城市冬季供热保障",
        short="冬季供暖",
        listing=None,
        sentences=[
            "本供暖期自十月二十五日起至次年四月五日止，比法定供暖期提前五天",
            "供热企业要提前完成锅炉检修和管网注水试压，确保按时供热",
            "居民室内温度不低于十八摄氏度，低于标准的按规定退还供热费",
            "开通供热服务热线，二十四小时受理群众供暖诉求",
        ],
    ),
    dict(
        key="gongre_price",
        agency="dev",
        subject="居民供热价格调整",
        short="供热价格",
        listing=None,
        sentences=[
            "居民供热价格由每平方米每供暖期二十九元调整为三十二元",
            "调价方案经成本监审和价格听证后报市政府批准",
            "对低保家庭和特困人员的供热费继续执行减免政策",
            "供热企业收费时应当出具统一票据，不得搭车收费",
        ],
    ),
    dict(
        key="fangxun",
        agency="emergency",
        subject="防汛抗旱",
        short="防汛",
        listing=None,
        sentences=[
            "入汛前完成水库、堤防、山洪沟道和城市易涝点的隐患排查",
            "严格执行汛期二十四小时值班和领导带班制度",
            "提前转移危险区域群众，做到应转尽转、应撤尽撤",
            "各地要储备冲锋舟、救生衣、编织袋等防汛物资",
        ],
    ),
    dict(
        key="shuiku",
        agency="water",
        subject="水库安全度汛",
        short="水库度汛",
        listing=None,
        sentences=[
            "落实每座水库的行政、技术和巡查三个责任人",
            "病险水库汛期一律空库运行，不得蓄水",
            "完善水库调度运用方案和大坝安全管理应急预案",
            "加强水雨情监测，雨情预警信息及时发送到下游村屯",
        ],
    ),
    dict(
        key="senlin",
        agency="forest",
        subject="森林草原防火",
        short="森林防火",
        listing=None,
        sentences=[
            "春季森林防火期为三月十五日至六月十五日，期间野外严禁一切用火",
            "在林区入口设立防火检查站，严查火种进山",
            "对野外违规用火的依法从重处罚，构成犯罪的追究刑事责任",
            "扑火专业队伍实行集中食宿、靠前驻防",
        ],
    ),
    dict(
        key="anquan",
        agency="emergency",
        subject="安全生产大排查大整治",
        short="安全生产",
        listing=None,
        sentences=[
            "聚焦危险化学品、矿山、建筑施工、道路交通等重点行业领域",
            "企业主要负责人是本单位安全生产第一责任人",
            "对排查出的重大隐患实行挂牌督办，整改不到位的依法停产整顿",
            "推行安全生产举报奖励制度，鼓励群众举报事故隐患",
        ],
    ),
    dict(
        key="ranqi",
        agency="housing",
        subject="城镇燃气安全专项整治",
        short="燃气安全",
        listing=None,
        sentences=[
            "全面排查餐饮场所燃气管道、阀门和报警装置",
            "督促餐饮企业安装可燃气体报警器和自动切断装置",
            "老化燃气管道纳入老旧小区改造同步更新",
            "燃气经营企业每年至少入户安检一次",
        ],
    ),
    dict(
        key="shipin",
        agency="market",
        subject="食品安全监督抽检",
        short="食品安全",
        listing=None,
        sentences=[
            "抽检覆盖粮食加工品、食用油、肉制品、乳制品等三十二大类食品",
            "对抽检不合格食品依法责令下架并立案查处",
            "学校食堂和校园周边食品经营者纳入重点检查",
            "抽检结果通过门户网站定期向社会公布",
        ],
    ),
    dict(
        key="zhaosheng",
        agency="edu",
        subject="义务教育招生入学",
        short="义务教育招生",
        listing=None,
        sentences=[
            "小学招收年满六周岁的适龄儿童，按照划片招生、免试就近入学原则",
            "进城务工人员随迁子女凭居住证在居住地入学",
            "严禁以各类考试、竞赛成绩作为招生依据",
            "网上报名时间为六月十日至六月二十日",
        ],
    ),
    dict(
        key="zizhu",
        agency="edu",
        subject="家庭经济困难学生资助",
        short="学生资助",
        listing="家庭经济困难学生资助名单",
        sentences=[
            "资助对象为具有本市学籍的家庭经济困难学生",
            "普通高中国家助学金平均每生每年二千元，分两个学期发放",
            "建档立卡、低保、特困家庭学生优先纳入资助范围",
            "学校要建立资助档案，做到资助对象精准、资金发放及时",
        ],
    ),
    dict(
        key="yibao",
        agency="medins",
        subject="城乡居民基本医疗保险参保缴费",
        short="城乡居民医保",
        listing=None,
        sentences=[
            "城乡居民医保个人缴费标准为每人每年三百八十元",
            "集中缴费期为九月一日至十二月三十一日，可通过手机银行或村社区代收",
            "低保对象、特困人员的个人缴费由医疗救助资金全额或定额资助",
            "参保人员在集中缴费期后缴费的，设置三个月待遇等待期",
        ],
    ),
    dict(
        key="yiliao_jiuzhu",
        agency="medins",
        subject="医疗救助",
        short="医疗救助",
        listing=None,
        sentences=[
            "医疗救助对象经基本医保、大病保险报销后的政策范围内个人负担费用按比例救助",
            "特困人员救助比例为百分之百，低保对象为百分之七十",
            "实行一站式结算，救助对象在定点医院出院时直接结算",
            "年度救助限额为每人五万元",
        ],
    ),
    dict(
        key="chuangye",
        agency="hr",
        subject="创业担保贷款",
        short="创业担保贷款",
        listing="创业担保贷款贴息对象",
        sentences=[
            "个人创业担保贷款最高额度为二十万元，小微企业最高三百万元",
            "符合条件的个人贷款由财政按规定给予全额贴息",
            "高校毕业生、退役军人、返乡创业农民工可申请创业担保贷款",
            "申请人向创业项目所在地人社部门提出申请，经担保机构审核后由银行放款",
        ],
    ),
    dict(
        key="jiuye",
        agency="hr",
        subject="就业创业补贴",
        short="就业补贴",
        listing="一次性创业补贴发放对象",
        sentences=[
            "首次创办小微企业且正常经营一年以上的给予一次性创业补贴五千元",
            "企业吸纳就业困难人员并缴纳社会保险的给予社会保险补贴",
            "参加职业技能培训并取得证书的给予职业培训补贴",
            "就业见习单位按见习人数给予见习补贴",
        ],
    ),
    dict(
        key="wengang",
        agency="hr",
        subject="失业保险稳岗返还",
        short="稳岗返还",
        listing="失业保险稳岗返还企业",
        sentences=[
            "上年度未裁员或裁员率低于规定标准的参保企业可享受稳岗返还",
            "大型企业按实际缴纳失业保险费的百分之三十返还，中小微企业按百分之六十返还",
            "稳岗返还实行免申即享，资金直接拨付到企业对公账户",
            "返还资金主要用于职工生活补助、缴纳社会保险费和转岗培训",
        ],
    ),
    dict(
        key="zhaopin",
        agency="hr",
        subject="事业单位公开招聘工作人员",
        short="事业单位招聘",
        listing="事业单位公开招聘拟聘用人员",
        sentences=[
            "本次公开招聘岗位一百二十个，报名采取网上报名方式",
            "笔试科目为公共基础知识，面试采取结构化面试",
            "考试总成绩按笔试成绩百分之五十、面试成绩百分之五十计算",
            "拟聘用人员名单在通化市人民政府网站公示七个工作日",
        ],
    ),
    dict(
        key="gongjijin",
        agency="fund",
        subject="住房公积金贷款",
        short="住房公积金",
        listing=None,
        sentences=[
            "双缴存职工家庭住房公积金贷款最高额度调整为七十万元",
            "购买二套住房的首付款比例不低于百分之三十",
            "职工可提取住房公积金支付房租、偿还购房贷款",
            "办理住房公积金业务可通过网上服务大厅和手机公积金客户端",
        ],
    ),
    dict(
        key="canji",
        agency="disabled",
        subject="困难残疾人生活补贴和重度残疾人护理补贴",
        short="残疾人两项补贴",
        listing="残疾人两项补贴享受对象",
        sentences=[
            "困难残疾人生活补贴标准为每人每月八十元",
            "一级二级重度残疾人护理补贴标准为每人每月一百元",
            "残疾人两项补贴实行跨省通办，申请人可在居住地提交申请",
            "残疾人证信息和低保信息实行数据比对，动态调整补贴对象",
        ],
    ),
    dict(
        key="youfu",
        agency="veterans",
        subject="重点优抚对象抚恤补助",
        short="优抚",
        listing=None,
        sentences=[
            "提高残疾军人、烈属、在乡退伍红军老战士等重点优抚对象抚恤和生活补助标准",
            "抚恤补助资金按月社会化发放",
            "春节期间走访慰问重点优抚对象和困难退役军人",
            "为优抚对象提供医疗优待，在定点医院享受优先就诊",
        ],
    ),
    dict(
        key="xiaofei",
        agency="commerce",
        subject="汽车家电消费补贴",
        short="消费补贴",
        listing=None,
        sentences=[
            "在本市购买新能源乘用车的消费者每辆给予三千元补贴",
            "购买一级能效家电产品按销售价格的百分之十五给予补贴，每件最高二千元",
            "补贴通过云闪付平台以消费券形式核销",
            "参与活动的商户须在本市依法纳税",
        ],
    ),
    dict(
        key="bingxue",
        agency="tour",
        subject="冰雪旅游产业发展",
        short="冰雪旅游",
        listing=None,
        sentences=[
            "依托万峰滑雪场和长白山西麓资源，打造冰雪旅游精品线路",
            "举办冰雪嘉年华和滑雪公开赛，带动冬季旅游消费",
            "对新开业的滑雪场和冰雪旅游综合体给予一次性奖励",
            "推动冰雪运动进校园，普及青少年滑雪技能",
        ],
    ),
    dict(
        key="yingshang",
        agency="dev",
        subject="优化营商环境",
        short="营商环境",
        listing=None,
        sentences=[
            "企业开办实现一网通办，全流程时间压缩至一个工作日",
            "工程建设项目审批全流程时间压缩至七十个工作日以内",
            "全面推行证明事项告知承诺制，减少企业和群众跑腿",
            "设立营商环境投诉举报中心，对损害营商环境的行为严肃问责",
        ],
    ),
    dict(
        key="hehu",
        agency="water",
        subject="河湖长制",
        short="河湖长制",
        listing=None,
        sentences=[
            "全市河湖实行市县乡村四级河湖长体系",
            "河湖长每月至少巡河一次，巡河情况录入河湖长制信息系统",
            "集中清理河道乱占、乱采、乱堆、乱建问题",
            "浑江、鸭绿江干流水质保持在三类以上",
        ],
    ),
    dict(
        key="daqi",
        agency="env",
        subject="大气污染防治和秸秆禁烧",
        short="秸秆禁烧",
        listing=None,
        sentences=[
            "秋冬季全域禁止露天焚烧秸秆，实行网格化巡查",
            "推进秸秆肥料化、饲料化和能源化利用",
            "重污染天气期间启动应急减排措施",
            "城区燃煤小锅炉全部完成清洁能源改造",
        ],
    ),
    dict(
        key="shuzi",
        agency="gov_data",
        subject="数字政府建设",
        short="数字政府",
        listing=None,
        sentences=[
            "建设全市统一的政务云平台和数据共享交换平台",
            "推进高频政务服务事项掌上办、指尖办",
            "政务服务事项网上可办率达到百分之九十以上",
            "建立公共数据资源目录，推动数据有序开放",
        ],
    ),
    dict(
        key="jiaotong",
        agency="transport",
        subject="城市公交线路优化调整",
        short="公交线路调整",
        listing=None,
        sentences=[
            "新开通火车站至医药高新区公交线路，途经十八个站点",
            "调整三路、七路公交车首末班时间，冬季末班车延长至二十一时",
            "老年人持老年优待证免费乘坐市区公交车",
            "公交线路调整方案征求市民意见后实施",
        ],
    ),
    dict(
        key="xiaofang",
        agency="emergency",
        subject="冬春火灾防控",
        short="消防安全",
        listing=None,
        sentences=[
            "重点整治高层建筑、人员密集场所和老旧小区消防通道堵塞问题",
            "严禁电动自行车在楼道、楼梯间停放和充电",
            "开展消防安全进社区、进学校、进企业宣传活动",
            "对存在重大火灾隐患的单位依法查封",
        ],
    ),
    dict(
        key="xiangcun",
        agency="agri",
        subject="全面推进乡村振兴",
        short="乡村振兴",
        listing=None,
        sentences=[
            "巩固拓展脱贫攻坚成果，守住不发生规模性返贫底线",
            "实施农村人居环境整治提升行动，推进农村厕所革命",
            "发展庭院经济和乡村特色产业，促进农民增收",
            "选派驻村第一书记和工作队，加强农村基层组织建设",
        ],
    ),
    dict(
        key="yimiao",
        agency="health",
        subject="重点人群疫苗接种和传染病防控",
        short="传染病防控",
        listing=None,
        sentences=[
            "为六十五岁以上老年人免费接种流感疫苗和肺炎疫苗",
            "医疗机构发现法定传染病病例应当按规定时限网络直报",
            "学校和托幼机构落实晨午检和因病缺勤追踪制度",
            "冬春季呼吸道传染病高发期加强发热门诊力量",
        ],
    ),
]
TOPIC = {t["key"]: t for t in TOPICS}
# the topic a notice names in its 衔接 item: one of the same agency, else a neighbour
NEIGHBOUR = {
    "senlin": "fangxun", "shipin": "anquan", "gongjijin": "laojiu", "canji": "dibao",
    "youfu": "chuangye", "bingxue": "putao", "shuzi": "yingshang", "jiaotong": "gongnuan",
    "daqi": "gengdi", "yimiao": "yanglao",
}  # fmt: skip

PEOPLE = [
    ("王建国", "男"), ("王建军", "男"), ("李雪梅", "女"), ("张志强", "男"), ("刘洪涛", "男"),
    ("陈晓东", "男"), ("赵立新", "男"), ("孙丽娟", "女"), ("周文斌", "男"), ("吴海燕", "女"),
    ("郑国庆", "男"), ("杨春光", "男"), ("马俊峰", "男"), ("高玉兰", "女"), ("林志远", "男"),
    ("何振华", "男"), ("孙丽华", "女"), ("韩冬梅", "女"),
]  # fmt: skip
POSTS = [
    "通化市财政局局长", "通化市民政局副局长", "通化市教育局局长", "通化市农业农村局副局长",
    "通化市应急管理局局长", "通化市住房和城乡建设局副局长", "通化市人力资源和社会保障局局长",
    "通化市医疗保障局副局长", "通化市文化广播电视和旅游局局长", "通化市生态环境局副局长",
    "通化市人民政府办公室副主任", "通化市商务局局长",
]  # fmt: skip
LEADERS = ["王建国", "刘洪涛", "李雪梅", "郑国庆"]  # 副市长 who appear in news in passing

OPENINGS = {
    "gov": "各县（市、区）人民政府，市政府各委办局，各直属机构：",
    "govoffice": "各县（市、区）人民政府，市政府各委办局，各直属机构：",
}
GENERIC = [
    "各地各部门要高度重视，切实加强组织领导，明确责任分工",
    "要加强政策宣传解读，及时回应群众关切",
    "市政府将把落实情况纳入年度绩效考核",
    "各县（市、区）要于每季度末将工作进展情况报送市直主管部门",
    "执行中遇到的问题，请及时向市直主管部门反映",
    "要严格资金管理，确保专款专用，自觉接受审计和社会监督",
]


class Builder:
    def __init__(self) -> None:
        self.rng = random.Random(20261204)
        self.docs: list[dict[str, Any]] = []
        self.serial: dict[tuple[str, int], int] = {}

    def number(self, prefix: str, year: int, n: int | None = None) -> str:
        if n is None:
            n = self.serial.get((prefix, year), 0) + self.rng.randint(1, 6)
        self.serial[(prefix, year)] = max(self.serial.get((prefix, year), 0), n)
        return f"{prefix}〔{year}〕{n}号"

    def date(self, year: int, month_lo: int = 1, month_hi: int = 12) -> dt.date:
        m = self.rng.randint(month_lo, month_hi)
        return dt.date(year, m, self.rng.randint(1, 28))

    def add(self, title: str, body: str, year_date: dt.date, agency: str, **meta: Any) -> dict:
        doc = {
            "id": f"d{len(self.docs) + 1:04d}",
            "title": title,
            "doc_number": meta.pop("doc_number", ""),
            "body": body,
            "published": year_date.isoformat(),
            "agency": AGENCIES[agency][0],
            "meta": {
                "topic": meta.get("topic", ""),
                "type": meta["type"],
                "superseded": meta.get("superseded", False),
                "mentions": meta.get("mentions", []),
                "names": meta.get("names", []),
                "cites": meta.get("cites", []),
            },
        }
        self.docs.append(doc)
        return doc

    def sents(self, t: dict[str, Any], k: int) -> list[str]:
        return self.rng.sample(t["sentences"], min(k, len(t["sentences"])))


def numbered(items: list[str]) -> str:
    marks = "一二三四五六七八九十"
    return "".join(f"{marks[i]}、{s}。" for i, s in enumerate(items))


def build() -> list[dict[str, Any]]:
    b = Builder()
    rng = b.rng
    mention_pool = [t["key"] for t in TOPICS]
    for t in TOPICS:
        ag_name, prefix = AGENCIES[t["agency"]]
        subj = t["subject"]
        y_old = rng.randint(2016, 2019)
        y_new = rng.randint(2021, 2024)
        kind = rng.choice(["管理办法", "实施办法", "实施细则"])
        rules = f"通化市{subj}{kind}"
        # 1. the older rules (superseded)
        no_old = b.number(prefix, y_old)
        body = (
            f"各县（市、区）有关部门：现将《{rules}》印发给你们，请认真贯彻执行。"
            f"第一条 为规范{subj}工作，结合我市实际，制定本办法。"
            + "".join(f"第{'二三四五'[i]}条 {s}。" for i, s in enumerate(b.sents(t, 3)))
            + f"第五条 本办法由{ag_name}负责解释。本办法自印发之日起施行。"
        )
        b.add(f"{ag_name}关于印发《{rules}》的通知", body, b.date(y_old), t["agency"],
              doc_number=no_old, topic=t["key"], type="policy", superseded=True)  # fmt: skip
        # 2. the newer rules, repealing the older
        no_new = b.number(prefix, y_new)
        body = (
            f"各县（市、区）有关部门：经市政府同意，现将修订后的《{rules}》印发给你们，"
            f"请结合实际认真贯彻执行。第一条 为进一步规范{subj}工作，制定本办法。"
            + "".join(f"第{'二三四五六'[i]}条 {s}。" for i, s in enumerate(b.sents(t, 4)))
            + f"第七条 本办法由{ag_name}负责解释。"
            + f"本办法自{y_new}年{rng.randint(1, 12)}月1日起施行，原《{rules}》（{no_old}）同时废止。"
        )
        b.add(f"{ag_name}关于印发《{rules}》的通知", body, b.date(y_new), t["agency"],
              doc_number=no_new, topic=t["key"], type="policy", cites=[no_old])  # fmt: skip
        # 3. 政策解读
        qa = b.sents(t, 3)
        body = (
            f"一、制定背景。为贯彻落实上级关于{subj}的决策部署，{ag_name}修订了《{rules}》"
            f"（{no_new}）。二、主要内容。" + "；".join(qa) + "。"
            f"三、与原办法相比的变化。新办法简化了办理流程，明确了各部门职责。"
            f"四、咨询渠道。对政策有疑问的，可向{ag_name}相关科室咨询。"
        )
        b.add(f"《{rules}》政策解读", body, b.date(y_new), t["agency"],
              topic=t["key"], type="interp", cites=[no_new])  # fmt: skip
        # 4. the yearly notice
        y_n = rng.randint(2022, 2025)
        same = [u["key"] for u in TOPICS if u["agency"] == t["agency"] and u is not t]
        other = NEIGHBOUR.get(t["key"]) or rng.choice(same)
        items = b.sents(t, 3) + [
            f"同步做好{TOPIC[other]['short']}等相关工作的衔接",
            rng.choice(GENERIC),
        ]
        when = b.date(y_n)
        body = (
            OPENINGS.get(t["agency"], "各县（市、区）有关部门，各有关单位：")
            + f"为做好{y_n}年{subj}工作，根据《{rules}》，现将有关事项通知如下："
            + numbered(items)
            + f"联系人：{ag_name}相关业务科室。{ag_name} {when.year}年{when.month}月{when.day}日"
        )
        b.add(f"{ag_name}关于做好{y_n}年{subj}工作的通知", body, when, t["agency"],
              doc_number=b.number(prefix, y_n), topic=t["key"], type="notice",
              mentions=[other])  # fmt: skip
        # 5. 公示 (programmes with beneficiaries) or 通报
        y_l = rng.randint(2022, 2025)
        if t["listing"]:
            body = (
                f"根据《{rules}》规定，经个人申请、乡镇（街道）初审、县级部门审核，"
                f"现将{y_l}年{t['listing']}名单予以公示（名单附后）。"
                f"公示期为七个工作日。公示期间如有异议，请以书面形式向{ag_name}反映。"
            )
            b.add(f"{y_l}年{t['listing']}名单公示", body, b.date(y_l), t["agency"],
                  topic=t["key"], type="list")  # fmt: skip
        else:
            body = (
                f"今年以来，全市各地认真落实{subj}各项任务，"
                + "，".join(b.sents(t, 2))
                + f"。但也有个别地方存在工作推进慢、责任落实不到位等问题。"
                f"各地要对照问题清单逐项整改，于一个月内将整改情况报{ag_name}。"
            )
            b.add(f"{ag_name}关于{y_l}年{subj}工作情况的通报", body, b.date(y_l), t["agency"],
                  doc_number=b.number(prefix, y_l), topic=t["key"], type="report")  # fmt: skip
        # 6–7. 工作动态
        for _ in range(2):
            y_w = rng.randint(2020, 2025)
            leader = rng.choice(LEADERS)
            names = []
            if rng.random() < 0.5:
                lead = f"副市长{leader}出席会议并讲话。"
                names = [leader]
            else:
                lead = f"{ag_name}主要负责同志出席会议并讲话。"
            if rng.random() < 0.5:
                title = f"{ag_name}召开{y_w}年{t['short']}工作推进会"
                body = (
                    f"近日，{ag_name}召开{y_w}年{t['short']}工作推进会。"
                    + lead
                    + "会议总结了前一阶段工作，"
                    + "，".join(b.sents(t, 2))
                    + "。会议要求，"
                    + rng.choice(GENERIC)
                    + "。"
                    + f"各县（市、区）{t['short']}工作分管负责同志参加会议并作交流发言。"
                )
            else:
                place = rng.choice(["东昌区", "二道江区", "通化县", "集安市", "辉南县", "柳河县"])
                title = f"{place}扎实推进{t['short']}工作"
                body = (
                    f"今年以来，{place}认真落实市委市政府部署，扎实推进{t['short']}工作。"
                    + "，".join(b.sents(t, 2))
                    + "。截至目前，相关任务均按时序进度推进，群众满意度持续提升。"
                    + f"下一步，{place}将继续加大工作力度，推动各项措施落地见效。"
                )
            b.add(title, body, b.date(y_w), t["agency"], topic=t["key"], type="news",
                  names=names)  # fmt: skip

    # 政府常务会议 digests: several topics in passing, plus a leader
    meetings = sorted(b.date(rng.randint(2020, 2025)) for _ in range(36))
    for i, when in enumerate(meetings):
        n = sum(1 for m in meetings[:i] if m.year == when.year) + 1
        picked = rng.sample(mention_pool, 3)
        names = rng.sample(LEADERS, 1)
        subj = [TOPIC[k]["short"] for k in picked]
        body = (
            f"{when.year}年{when.month}月{when.day}日，市长主持召开市政府第{n}次常务会议。"
            f"会议听取了关于{subj[0]}工作情况的汇报，研究部署了{subj[1]}和{subj[2]}等工作。"
            f"会议强调，要坚持以人民为中心的发展思想，推动经济社会高质量发展，"
            f"各有关部门要按照职责分工抓好落实。会议还研究了其他事项。"
            f"副市长{names[0]}等市政府领导同志，市政府各委办局主要负责同志参加会议。"
        )
        b.add(f"市政府召开{when.year}年第{n}次常务会议", body, when, "gov", type="digest",
              mentions=picked, names=names)  # fmt: skip

    # 人事任免 and 任前公示
    people = [p for p, _ in PEOPLE]
    for i in range(14):
        y = 2019 + i // 2
        trio = rng.sample(people, 3)
        posts = rng.sample(POSTS, 3)
        body = (
            "各县（市、区）人民政府，市政府各委办局，各直属机构：经市政府研究决定："
            f"任命{trio[0]}为{posts[0]}；任命{trio[1]}为{posts[1]}；"
            f"免去{trio[2]}的{posts[2]}职务。"
            "以上同志的任职时间自市政府研究决定之日起计算，试用期一年。"
        )
        b.add(f"通化市人民政府关于{trio[0]}等同志职务任免的通知", body, b.date(y), "gov",
              doc_number=b.number("通政任", y), type="personnel", names=trio)  # fmt: skip
    for i in range(6):
        y = 2020 + i
        pair = rng.sample(people, 2)
        body = (
            "根据《党政领导干部选拔任用工作条例》，经市委研究，拟提拔任用以下同志，现予公示："
            + "".join(
                f"{p}，{'男' if dict(PEOPLE)[p] == '男' else '女'}，{rng.randint(1972, 1986)}年生，"
                f"大学学历，拟任{rng.choice(POSTS)}。"
                for p in pair
            )
            + "公示期为五个工作日。"
        )
        b.add(f"{y}年市管干部任职前公示", body, b.date(y), "gov", type="personnel", names=pair)

    # 部门预算 / 决算
    for ag in ("finance", "civil", "edu", "agri", "health", "hr", "housing", "emergency"):
        name, _ = AGENCIES[ag]
        for y in rng.sample(range(2021, 2026), 2):
            kind = rng.choice(["部门预算", "部门决算"])
            total = rng.randint(2000, 90000)
            body = (
                f"一、部门主要职责。{name}是市政府工作部门。二、{y}年{kind}收支总体情况。"
                f"{y}年收支总计{total}万元，其中一般公共预算财政拨款{int(total * 0.8)}万元。"
                f"三、“三公”经费情况。{y}年“三公”经费{rng.randint(5, 90)}万元，比上年减少。"
                "四、政府采购情况和国有资产占用情况。五、名词解释。"
            )
            b.add(f"{name}{y}年{kind}公开", body, b.date(y, 2, 9), ag, type="budget",
                  topic="budget", doc_number="")  # fmt: skip
    y = 2024
    body = (
        "经市人民代表大会审查批准，现将通化市本级一般公共预算收支情况公开如下。"
        f"{y}年市本级一般公共预算收入安排四十二亿元，支出安排八十六亿元，"
        "重点保障教育、社会保障和就业、卫生健康、农林水等民生支出。"
    )
    b.add(f"通化市{y}年市本级预算执行情况和{y + 1}年预算草案", body, b.date(y + 1, 1, 2),
          "finance", type="budget", topic="budget")  # fmt: skip

    # 政府工作报告, 信息公开年度报告, 工作要点
    for y in (2022, 2023, 2024, 2025):
        picked = rng.sample(mention_pool, 4)
        body = (
            f"{y}年{rng.randint(1, 2)}月在通化市第{rng.randint(8, 9)}届人民代表大会上。各位代表：现在，我代表市人民政府，"
            "向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。一、过去一年工作回顾。"
            f"过去一年，我们着力抓好{TOPIC[picked[0]]['short']}、{TOPIC[picked[1]]['short']}等工作。"
            f"二、今年工作安排。持续推进{TOPIC[picked[2]]['short']}和{TOPIC[picked[3]]['short']}。"
            "三、加强政府自身建设。"
        )
        b.add(f"{y}年通化市人民政府工作报告", body, b.date(y, 1, 2), "gov", type="workreport",
              topic="govreport", mentions=picked)  # fmt: skip
    for ag in ("gov", "civil", "finance", "edu", "agri", "hr", "housing", "market"):
        name, _ = AGENCIES[ag]
        y = rng.randint(2021, 2025)
        body = (
            f"本报告依据《中华人民共和国政府信息公开条例》编制。一、总体情况。{y}年，{name}"
            f"主动公开政府信息{rng.randint(80, 900)}条，收到政府信息公开申请{rng.randint(2, 40)}件，"
            "均在法定期限内答复。二、主动公开政府信息情况。三、收到和处理政府信息公开申请情况。"
            "四、政府信息公开行政复议、行政诉讼情况。五、存在的主要问题及改进情况。"
        )
        b.add(f"{name}{y}年政府信息公开工作年度报告", body, b.date(y + 1, 1, 1), ag,
              type="workreport", topic="xxgk_report")  # fmt: skip
    for ag in ("gov", "civil", "agri", "edu", "emergency", "hr"):
        name, prefix = AGENCIES[ag]
        y = rng.randint(2022, 2025)
        picked = rng.sample(mention_pool, 2)
        body = (
            f"{y}年{name}工作的总体要求是：坚持稳中求进工作总基调，着力保障和改善民生。"
            f"重点抓好以下工作：一、{TOPIC[picked[0]]['short']}。二、{TOPIC[picked[1]]['short']}。"
            "三、深化放管服改革，推进政务服务事项一网通办。四、加强作风建设，"
            "持续整治形式主义、官僚主义。五、抓好安全稳定，守住不发生重大风险的底线。"
        )
        b.add(f"{name}{y}年工作要点", body, b.date(y, 2, 4), ag, type="workreport",
              doc_number=b.number(prefix, y), topic="workplan", mentions=picked)  # fmt: skip

    # 文号 near-misses: fixed numbers cited by later documents
    fixed = [("gov", 2021, 8), ("gov", 2021, 18), ("govoffice", 2023, 5)]
    subjects = [
        ("关于进一步做好稳就业工作的意见", "jiuye"),
        ("关于加快推进数字政府建设的实施意见", "shuzi"),
        ("关于印发通化市防汛应急预案的通知", "fangxun"),
    ]
    for (ag, y, n), (title, topic) in zip(fixed, subjects, strict=True):
        name, prefix = AGENCIES[ag]
        t = TOPIC[topic]
        body = OPENINGS[ag] + numbered(b.sents(t, 3) + [GENERIC[0]])
        b.add(f"{name}{title}", body, dt.date(y, 4, 12 + n), ag, type="policy", topic=topic,
              doc_number=f"{prefix}〔{y}〕{n}号")  # fmt: skip
        b.serial[(prefix, y)] = max(b.serial.get((prefix, y), 0), n)
    for no, topic in (("通政发〔2021〕8号", "jiuye"), ("通政发〔2021〕18号", "shuzi")):
        t = TOPIC[topic]
        body = (
            f"为贯彻落实《{AGENCIES['gov'][0]}{subjects[0 if topic == 'jiuye' else 1][0]}》"
            f"（{no}）精神，结合我局实际，制定本方案。一、工作目标。"
            + "，".join(b.sents(t, 2))
            + "。二、保障措施。"
            + GENERIC[0]
            + "。三、进度安排。本方案自印发之日起实施。"
        )
        b.add(f"{AGENCIES[t['agency']][0]}贯彻落实{t['short']}工作实施方案", body,
              dt.date(2021, 9, 1), t["agency"], type="policy", topic=topic, cites=[no])  # fmt: skip
    rng.shuffle(b.docs)
    b.docs.sort(key=lambda d: d["published"])  # index order = publication order, as the portal
    for i, d in enumerate(b.docs):
        d["id"] = f"d{i + 1:04d}"
    return b.docs


# --- queries and judgments --------------------------------------------------------------------

DOC_TYPES = {"policy", "notice", "interp", "list", "report"}


def topic_grade(d: dict[str, Any], topic: str, top: int) -> int:
    """A topic query: its current rules, notice, 解读 and 公示 ``top``; news and superseded
    rules one less; a passing mention (digest, a notice's 衔接 item, a report) 1."""
    m = d["meta"]
    if m["topic"] == topic:
        if m["type"] in DOC_TYPES and not m["superseded"]:
            return top
        return max(top - 1, 1)
    if topic in m["mentions"]:
        return 1 if top == 3 else 0
    return 0


def term_grade(d: dict[str, Any], term: str, describes: tuple[str, ...] = ()) -> int:
    """A common term: 3 when the title holds it and it names what the document is (a document,
    not news, or a title ending as in ``describes``); 2 title elsewhere; 1 body only. The
    issuing agency's name in front of a title is not the title (服务 in 政务服务…管理局关于…);
    repealed rules get 2 at most."""
    title, body = d["title"], d["body"]
    if title.startswith(d["agency"]):
        title = title[len(d["agency"]) :]
    if term in title:
        if d["meta"]["superseded"]:
            return 2
        if describes:
            return 3 if title.endswith(describes) else 2
        return 3 if d["meta"]["type"] not in ("news", "digest") else 2
    return 1 if term in body or term in d["doc_number"] else 0


def name_grade(d: dict[str, Any], name: str) -> int:
    """A person: appointed, removed or proposed in the document 3 (title or body); named in
    passing (出席会议) 1."""
    if name not in d["meta"]["names"]:
        return 0
    return 3 if d["meta"]["type"] == "personnel" else 1


def number_grade(d: dict[str, Any], no: str) -> int:
    """A 文号: the document itself 3; a document citing it (repeals it, implements it) 1."""
    if d["doc_number"] == no:
        return 3
    return 1 if no in d["meta"]["cites"] else 0


def queries(docs: list[dict[str, Any]]) -> list[tuple[str, str, str, Any]]:
    """(class, query, basis, grade function)."""

    def topics(spec: dict[str, int]) -> Any:
        return lambda d: max(topic_grade(d, k, v) for k, v in spec.items())

    by_topic_no: dict[str, str] = {}
    for d in docs:
        if d["meta"]["type"] == "policy" and d["doc_number"] and not d["meta"]["superseded"]:
            by_topic_no.setdefault(d["meta"]["topic"], d["doc_number"])
    old_no = next(
        d["doc_number"] for d in docs if d["meta"]["superseded"] and d["meta"]["topic"] == "dibao"
    )
    out: list[tuple[str, str, str, Any]] = []

    def add(cls: str, q: str, basis: str, fn: Any) -> None:
        out.append((cls, q, basis, fn))

    for q, spec in [
        ("人参产业", {"renshen": 3}), ("葡萄酒", {"putao": 3}), ("冰雪旅游", {"bingxue": 3}),
        ("秸秆禁烧", {"daqi": 3}), ("住房公积金", {"gongjijin": 3}), ("森林防火", {"senlin": 3}),
        ("燃气安全", {"ranqi": 3}), ("稳岗返还", {"wengang": 3}),
    ]:  # fmt: skip
        add("rare", q, f"topic {spec}", topics(spec))
    for q, spec in [
        ("养老服务", {"yanglao": 3, "gaoling": 2}), ("低保", {"dibao": 3, "tekun": 1}),
        ("供暖", {"gongnuan": 3, "gongre_price": 2}), ("防汛", {"fangxun": 3, "shuiku": 2}),
        ("食品安全", {"shipin": 3}), ("老旧小区", {"laojiu": 3}),
        ("医疗保险", {"yibao": 3, "yiliao_jiuzhu": 1}), ("安全生产", {"anquan": 3, "nongji_safety": 2}),
        ("学生资助", {"zizhu": 3}), ("创业", {"chuangye": 3, "jiuye": 3}),
    ]:  # fmt: skip
        add("medium", q, f"topic {spec}", topics(spec))
    for q, describes in [
        ("工作", ("工作要点", "工作报告", "工作年度报告", "工作推进会")),
        ("通知", ("通知",)), ("补贴", ()), ("发展", ()), ("申请", ()), ("公示", ()),
        ("管理", ()), ("服务", ()), ("建设", ()), ("资金", ()), ("安全", ()), ("政府", ()),
    ]:  # fmt: skip
        add("common", q, f"term in title (names the document) 3 / title 2 / body 1 {describes}",
            lambda d, q=q, describes=describes: term_grade(d, q, describes))  # fmt: skip
    for q, spec in [
        ("农机购置补贴", {"nongji": 3}), ("城乡居民最低生活保障", {"dibao": 3}),
        ("高标准农田建设", {"gaobiao": 3}), ("创业担保贷款", {"chuangye": 3}),
        ("老旧小区改造", {"laojiu": 3}), ("耕地地力保护补贴", {"gengdi": 3}),
        ("重度残疾人护理补贴", {"canji": 3}),
    ]:  # fmt: skip
        add("phrase", q, f"topic {spec}", topics(spec))
    add(
        "phrase",
        "部门预算",
        "budget documents 3 (部门预算 in title) / 2 (other budget)",
        lambda d: (3 if "部门预算" in d["title"] else 2) if d["meta"]["topic"] == "budget" else 0,
    )
    add(
        "phrase",
        "政府信息公开工作年度报告",
        "the annual reports 3",
        lambda d: 3 if d["meta"]["topic"] == "xxgk_report" else 0,
    )
    for no in ["通政发〔2021〕8号", "通政发〔2021〕18号", "通政办发〔2023〕5号", old_no,
               by_topic_no["nongji"], by_topic_no["gongnuan"]]:  # fmt: skip
        add("doc_number", no, "the document 3 / citing it 1", lambda d, no=no: number_grade(d, no))
    for q in ["王建国", "王建军", "李雪梅", "孙丽娟", "刘洪涛", "吴海燕"]:
        add("name", q, "appointed/proposed 3 / named in passing 1",
            lambda d, q=q: name_grade(d, q))  # fmt: skip
    add("substring", "丽娟", "the person 孙丽娟 (not 孙丽华)", lambda d: name_grade(d, "孙丽娟"))
    add("substring", "购置补", "topic nongji 3", topics({"nongji": 3}))
    for q, spec in [
        ("养老 补贴", {"yanglao": 3, "gaoling": 2}),
        ("农机 补贴", {"nongji": 3, "nongji_safety": 1}),
        ("供暖 价格", {"gongre_price": 3, "gongnuan": 1}),
        ("残疾人 补贴", {"canji": 3}),
        ("就业 补贴", {"jiuye": 3, "chuangye": 2, "wengang": 1}),
        ("防汛 水库", {"shuiku": 3, "fangxun": 2}),
        ("低保 医疗救助", {"yiliao_jiuzhu": 3, "dibao": 1}),
        ("消费 补贴 新能源", {"xiaofei": 3}),
    ]:  # fmt: skip
        add("multi_term", q, f"topic {spec}", topics(spec))
    add(
        "multi_term",
        "学生 资助 名单",
        "the 公示 of topic zizhu 3 / its other documents 1",
        lambda d: (3 if d["meta"]["type"] == "list" else 1) if d["meta"]["topic"] == "zizhu" else 0,
    )
    add(
        "multi_term",
        "任免 财政局",
        "personnel documents naming a 财政局 post 3 / other personnel 1",
        lambda d: (3 if "财政局" in d["body"] else 1) if d["meta"]["type"] == "personnel" else 0,
    )
    return out


def main() -> None:
    docs = build()
    (HERE / "corpus.jsonl").write_text(
        "".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs), encoding="utf-8"
    )
    qs = queries(docs)
    qlines = ["qid\tclass\tquery\tbasis"]
    jlines = ["qid\tdoc\tgrade"]
    for i, (cls, q, basis, fn) in enumerate(qs, start=1):
        qid = f"q{i:02d}"
        qlines.append(f"{qid}\t{cls}\t{q}\t{basis}")
        for d in docs:
            g = fn(d)
            if g:
                jlines.append(f"{qid}\t{d['id']}\t{g}")
    (HERE / "queries.tsv").write_text("\n".join(qlines) + "\n", encoding="utf-8")
    (HERE / "judgments.tsv").write_text("\n".join(jlines) + "\n", encoding="utf-8")
    print(f"{len(docs)} documents, {len(qs)} queries, {len(jlines) - 1} judgments")


if __name__ == "__main__":
    main()
