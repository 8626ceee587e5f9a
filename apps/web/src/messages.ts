/**
 * The message catalogues: Chinese here, English as data in `messages.en.json`. Indicator names as
 * the county's own reports write them (建档率, 结对率, 五个一 and its 一周一谈心 … 一年一团圆, 辍学率, 巩固率, 劝返,
 * 体检率, 重点帮扶对象, 留守儿童之家);
 * English mirrors INDICATORS.md.
 */
import enCatalogue from './messages.en.json';

const zh = {
  app: { title: '留守儿童关爱 · 数据看板', schoolTitle: '留守儿童关爱 · 学校工作台', language: 'English', languageLabel: 'Switch to English', signOut: '退出', signedInAs: '{user}（{role}）' },
  login: { title: '登录', username: '用户名', password: '密码', submit: '登录', failed: '用户名或密码不正确', locked: '尝试次数过多，请稍后再试' },
  roles: {
    school_staff: '学校工作人员',
    school_admin: '学校管理员',
    county_education: '县教育局',
    county_youth_league: '团县委',
    auditor: '审计',
    platform_admin: '平台管理员',
  },
  views: { label: '视图', education: '教育局视图', league: '团县委视图' },
  controls: { asOf: '截至日期', from: '统计起始日', fromHint: '留空为学年开始', scope: '范围', apply: '查看', months: '月数' },
  scope: { county: '全县', township: '乡镇', school: '学校', ownSchool: '本校', back: '返回上一级', path: '当前范围' },
  dataAsOf: '数据截至 {time}',
  dataAsOfNone: '数据截至：暂无数据',
  change: '较上月 {delta}',
  changeNone: '较上月 —',
  percentagePoints: '个百分点',
  tiles: { heading: '主要指标', headingLeague: '关爱阵地与志愿服务' },
  table: {
    heading: '分乡镇 / 学校',
    unit: '单位',
    total: '合计',
    sortBy: '按{name}排序',
    drill: '查看{name}',
    legend: '* 表示少于{k}，或为防止推算出小数而隐藏',
    export: '导出',
    exportIndicator: '导出指标',
  },
  /** An indicator of several figures, as one export holds them all. */
  groups: { careCadence: '五个一', keyAssistance: '重点帮扶对象', incidents: '突发事件', careHomes: '留守儿童之家', volunteers: '志愿服务', aid: '资助' },
  series: { heading: '月度趋势', indicator: '指标', chartLabel: '{name}月度趋势图' },
  export: { csv: '导出 CSV', xlsx: '导出 XLSX' },
  errors: { load: '数据加载失败：{detail}' },
  loading: '加载中…',
  indicators: {
    childrenInCare: '关爱儿童数',
    leftBehindChildren: '留守儿童数',
    pupils: '在校学生数',
    pupilShare: '留守儿童占在校生比例',
    archiveCompleteness: '建档率',
    pairingCoverage: '结对率',
    guardianshipCoverage: '监护落实率',
    careCadence: {
      talk7d: '五个一 · 一周一谈心',
      contact30d: '五个一 · 一月一电话',
      homeVisit92d: '五个一 · 一季一探望',
      aidSemester: '五个一 · 一学期一慰问',
      parentMeeting365d: '五个一 · 一年一团圆',
    },
    familyContact30d: '30天内亲情通话',
    dropoutRate: '辍学率',
    retentionRate: '巩固率',
    returnedAfterDropout: '劝返人数',
    healthCheckRate: '体检率',
    keyAssistance: {
      children: '重点帮扶对象',
      pairedShare: '重点帮扶对象结对率',
    },
    incidents: {
      count: '突发事件',
      withinDeadline: {
        guardian: '30分钟内通知监护人',
        parents: '60分钟内通知父母',
        educationBureau: '2小时内报告教育局',
        townshipGovernment: '2小时内报告乡镇政府',
      },
      open: '未结突发事件',
    },
    careHomes: {
      homes: '留守儿童之家',
      childrenServed: '之家服务儿童',
      activities: '之家活动次数',
    },
    volunteers: {
      active: '在岗志愿者',
      pairings: '志愿者结对数',
      activities: '志愿服务次数',
    },
    aid: {
      personTimes: '资助人次',
      yuan: '资助金额（元）',
    },
  },
};

export type Messages = typeof zh;

// English is data (same keys, checked here): one catalogue written as code, the other its translation.
const en: Messages = enCatalogue;

export const MESSAGES = { 'zh-CN': zh, en } as const;
export type Locale = keyof typeof MESSAGES;
