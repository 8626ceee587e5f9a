import { awaySinceOf, birthMonthOf, categoryOf, genderOf, gradeOf, guardianTypeOf, parentsAwayOf } from './roster-row';

const value = (converted: { value: unknown } | { error: unknown }) => ('value' in converted ? converted.value : converted);

describe('roster cell conversions', () => {
  it.each([
    ['3', 3],
    ['三年级', 3],
    ['初一', 7],
    ['九年级', 9],
    ['高三', 12],
    ['12年级', 12],
  ])('grade %s → %s', (text, grade) => expect(value(gradeOf(text))).toBe(grade));

  it.each(['0', '13', '十三年级', '大一'])('grade %s is refused under 年级', (text) => expect(gradeOf(text)).toMatchObject({ error: { column: 'grade', code: 'invalid-value' } }));

  it.each([
    ['2015-03', '2015-03'],
    ['2015.3', '2015-03'],
    ['2015/03/12', '2015-03'],
    ['2015年3月', '2015-03'],
    ['201503', '2015-03'],
    ['20150312', '2015-03'],
  ])('birth month %s → %s', (text, month) => expect(value(birthMonthOf(text))).toBe(month));

  it('refuses impossible months and reads dates kept to the month', () => {
    expect(birthMonthOf('2015-13')).toMatchObject({ error: { column: 'birthMonth' } });
    expect(value(awaySinceOf('2023.2'))).toBe('2023-02-01');
    expect(value(awaySinceOf('2023年2月15日'))).toBe('2023-02-15');
  });

  it('maps the words schools use to the enumerations', () => {
    expect(value(genderOf('女'))).toBe('female');
    expect(value(categoryOf(undefined))).toBe('left-behind');
    expect(value(categoryOf('事实孤儿'))).toBe('orphan');
    expect(value(categoryOf('单亲家庭'))).toBe('single-parent');
    expect(value(parentsAwayOf({ parentsAway: '父母均外出' }, 'left-behind'))).toBe('both');
    expect(value(parentsAwayOf({ motherWorkCity: '浙江宁波' }, 'left-behind'))).toBe('mother');
    expect(value(parentsAwayOf({}, 'orphan'))).toBe('none');
    expect(parentsAwayOf({}, 'left-behind')).toMatchObject({ error: { column: 'fatherWorkCity', code: 'missing-value' } });
    expect(value(guardianTypeOf({ guardianType: '隔代监护' }))).toBe('grandparent');
    expect(value(guardianTypeOf({ guardianRelation: '外婆' }))).toBe('grandparent');
    expect(value(guardianTypeOf({ guardianRelation: '母亲' }))).toBe('parent-at-home');
    expect(value(guardianTypeOf({ guardianRelation: '舅舅' }))).toBe('relative');
    expect(value(guardianTypeOf({ guardianType: '无人监护' }))).toBe('none');
  });
});
