import { AUDIT_MESSAGES } from './audit/audit-messages';

/**
 * The one message catalogue per language. Indicator names as the county's own reports write them
 * (建档率, 结对率, 五个一, 辍学率, 巩固率, 劝返, 体检率, 留守儿童之家); English mirrors INDICATORS.md.
 */
const zh = {
  app: { title: '留守儿童关爱 · 数据看板', language: 'English', languageLabel: 'Switch to English', signOut: '退出', signedInAs: '{user}（{role}）' },
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
      talk7d: '五个一 · 每周谈心',
      contact30d: '五个一 · 每月联系监护人',
      homeVisit92d: '五个一 · 每季家访',
      aidSemester: '五个一 · 每学期资助',
      parentMeeting365d: '五个一 · 每年家长会',
    },
    familyContact30d: '30天内亲情通话',
    dropoutRate: '辍学率',
    retentionRate: '巩固率',
    returnedAfterDropout: '劝返人数',
    healthCheckRate: '体检率',
    keyAssistance: {
      children: '重点帮扶儿童',
      pairedShare: '重点帮扶儿童结对率',
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

const en: Messages = {
  app: { title: 'Left-behind children care · Dashboard', language: '中文', languageLabel: '切换到中文', signOut: 'Sign out', signedInAs: '{user} ({role})' },
  login: { title: 'Sign in', username: 'Username', password: 'Password', submit: 'Sign in', failed: 'Wrong username or password', locked: 'Too many attempts, try again later' },
  roles: {
    school_staff: 'school staff',
    school_admin: 'school admin',
    county_education: 'county education bureau',
    county_youth_league: 'county youth league',
    auditor: 'auditor',
    platform_admin: 'platform admin',
  },
  views: { label: 'View', education: 'Education bureau', league: 'Youth league' },
  controls: { asOf: 'As of', from: 'Period from', fromHint: 'empty: start of the school year', scope: 'Scope', apply: 'Show', months: 'Months' },
  scope: { county: 'County', township: 'Township', school: 'School', ownSchool: 'Our school', back: 'Up one level', path: 'Current scope' },
  dataAsOf: 'Data as of {time}',
  dataAsOfNone: 'Data as of: no data yet',
  change: 'vs month before {delta}',
  changeNone: 'vs month before —',
  percentagePoints: 'pp',
  tiles: { heading: 'Headline figures', headingLeague: 'Care homes and volunteers' },
  table: {
    heading: 'By township / school',
    unit: 'Unit',
    total: 'Total',
    sortBy: 'Sort by {name}',
    drill: 'Show {name}',
    legend: '* fewer than {k}, or hidden so that a small count cannot be worked out',
    export: 'Export',
    exportIndicator: 'Indicator to export',
  },
  series: { heading: 'Monthly trend', indicator: 'Indicator', chartLabel: 'Monthly trend of {name}' },
  export: { csv: 'Export CSV', xlsx: 'Export XLSX' },
  errors: { load: 'Could not load the figures: {detail}' },
  loading: 'Loading…',
  indicators: {
    childrenInCare: 'Children in care',
    leftBehindChildren: 'Left-behind children',
    pupils: 'Pupils',
    pupilShare: 'Left-behind share of pupils',
    archiveCompleteness: 'Archive completeness (建档率)',
    pairingCoverage: 'Pairing coverage (结对率)',
    guardianshipCoverage: 'Guardianship coverage',
    careCadence: {
      talk7d: '五个一: talk in 7 days',
      contact30d: '五个一: guardian contact in 30 days',
      homeVisit92d: '五个一: home visit in 92 days',
      aidSemester: '五个一: aid this semester',
      parentMeeting365d: '五个一: parent meeting in 365 days',
    },
    familyContact30d: 'Family call in 30 days',
    dropoutRate: 'Dropout rate (辍学率)',
    retentionRate: 'Retention rate (巩固率)',
    returnedAfterDropout: 'Returned after dropout (劝返)',
    healthCheckRate: 'Health checks (体检率)',
    keyAssistance: {
      children: 'Key-assistance children',
      pairedShare: 'Key-assistance children paired',
    },
    incidents: {
      count: 'Incidents',
      withinDeadline: {
        guardian: 'Guardian notified within 30 min',
        parents: 'Parents notified within 60 min',
        educationBureau: 'Education bureau within 120 min',
        townshipGovernment: 'Township government within 120 min',
      },
      open: 'Open incidents',
    },
    careHomes: {
      homes: 'Care homes (留守儿童之家)',
      childrenServed: 'Children served by care homes',
      activities: 'Care-home activities',
    },
    volunteers: {
      active: 'Active volunteers',
      pairings: 'Volunteer pairings',
      activities: 'Volunteer activities',
    },
    aid: {
      personTimes: 'Aid (person-times)',
      yuan: 'Aid (yuan)',
    },
  },
};

export const MESSAGES = { 'zh-CN': { ...zh, audit: AUDIT_MESSAGES['zh-CN'] }, en: { ...en, audit: AUDIT_MESSAGES.en } } as const;
export type Locale = keyof typeof MESSAGES;
