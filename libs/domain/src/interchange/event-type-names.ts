/**
 * What the reports call each event type: the auditors' pages and the printed histories name
 * events alike. No imports, so that the web app can take this one file alone.
 */
export const EVENT_TYPE_NAMES_ZH = {
  ChildRegistered: '建档',
  ArchiveUpdated: '档案更新',
  GuardianshipChanged: '监护变更',
  RiskFlagged: '风险标记',
  RiskCleared: '风险解除',
  PairingStarted: '结对帮扶开始',
  PairingEnded: '结对帮扶结束',
  CareActivityRecorded: '关爱活动',
  CareActivityVoided: '活动作废',
  IncidentReported: '突发事件报告',
  IncidentPartyNotified: '事件通知',
  IncidentResolved: '事件处置',
  EnrollmentChanged: '学籍变动',
  LeftBehindStatusEnded: '留守状态结束',
  LeftBehindStatusResumed: '留守状态恢复',
  PersonalDataErased: '个人信息删除',
  SchoolRegistered: '学校登记',
  EnrollmentReported: '在校生数报告',
  CareHomeOpened: '留守儿童之家开放',
  CareHomeActivityHeld: '留守儿童之家活动',
  CarerRegistered: '帮扶人登记',
  CarerRetired: '帮扶人退出',
};
