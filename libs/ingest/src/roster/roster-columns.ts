/**
 * The columns of a class roster (花名册) as schools keep them, each with the headers it goes by.
 * Headers are compared without whitespace. See libs/ingest/README.md for the mapping.
 */
export const ROSTER_COLUMNS = {
  name: ['姓名', '学生姓名', '儿童姓名'],
  gender: ['性别'],
  birthMonth: ['出生年月', '出生日期', '出生年月日'],
  grade: ['年级'],
  className: ['班级', '班别'],
  category: ['类别', '留守类型', '儿童类别', '学生类别'],
  parentsAway: ['父母外出情况', '外出情况', '外出务工情况'],
  awaySince: ['外出时间', '外出务工时间'],
  guardianType: ['监护类型', '监护方式', '监护情况'],
  guardianName: ['监护人', '监护人姓名', '临时监护人'],
  guardianRelation: ['与学生关系', '监护人与学生关系', '与儿童关系', '监护人关系'],
  guardianPhone: ['监护人电话', '监护人联系电话', '联系电话'],
  guardianAge: ['监护人年龄'],
  guardianHealth: ['监护人健康状况', '监护人身体状况'],
  guardianEducation: ['监护人文化程度'],
  homeAddress: ['家庭住址', '家庭地址', '住址'],
  fatherName: ['父亲姓名'],
  fatherPhone: ['父亲电话', '父亲联系电话'],
  fatherWorkCity: ['父亲务工地', '父亲务工地点', '父亲外出地点'],
  fatherEmployer: ['父亲工作单位', '父亲务工单位'],
  motherName: ['母亲姓名'],
  motherPhone: ['母亲电话', '母亲联系电话'],
  motherWorkCity: ['母亲务工地', '母亲务工地点', '母亲外出地点'],
  motherEmployer: ['母亲工作单位', '母亲务工单位'],
  personality: ['性格特点', '性格特征', '性格'],
  interests: ['兴趣爱好', '爱好'],
  studentNumber: ['学籍号', '全国学籍号', '学籍编号', '学号'],
} as const;

export type RosterColumn = keyof typeof ROSTER_COLUMNS;

/** Columns schools add that carry nothing the archive keeps. */
export const IGNORED_HEADERS: readonly string[] = ['序号', '编号', '备注'];

export const REQUIRED_COLUMNS: readonly RosterColumn[] = ['name', 'gender', 'birthMonth', 'grade', 'className'];

const BY_HEADER = new Map<string, RosterColumn>(
  (Object.entries(ROSTER_COLUMNS) as [RosterColumn, readonly string[]][]).flatMap(([column, headers]) => headers.map((header) => [header, column])),
);

export function columnOfHeader(header: string): RosterColumn | undefined {
  return BY_HEADER.get(header);
}
