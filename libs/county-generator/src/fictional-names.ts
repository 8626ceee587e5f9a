import type { Random } from './random';

// Everything personal the generator writes is made up from these parts: no real person's data.
const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗', '蒋', '谢', '唐', '冯', '邓', '向', '苟', '敬'];
const GIVEN = ['小', '明', '华', '丽', '强', '军', '芳', '燕', '静', '磊', '洋', '勇', '艳', '杰', '娟', '涛', '超', '霞', '平', '刚', '英', '秀', '兰', '梅', '红', '玉', '春', '海', '文', '雪', '晨', '宇', '浩', '欣', '怡', '悦', '子', '轩', '涵', '琪', '萱', '睿', '博', '佳', '思', '雨', '梓', '俊', '凯', '婷'];
const PLACE_SYLLABLES = ['东', '西', '南', '北', '白', '青', '黄', '石', '柳', '松', '梅', '龙', '凤', '双', '三', '水', '河', '山', '坪', '坝', '岩', '溪', '桥', '林', '湾', '塘', '岭', '云'];
const WORK_CITIES = ['成都', '重庆', '广州', '深圳', '东莞', '佛山', '上海', '苏州', '杭州', '宁波', '北京', '西安', '厦门', '温州'];
const EMPLOYERS = ['建筑工地', '电子厂', '服装厂', '餐馆', '物流公司', '装修队', '家政公司', '汽车配件厂', '超市', '快递站'];
const PERSONALITIES = ['性格内向，不爱说话', '开朗活泼', '比较敏感，需要鼓励', '懂事，照顾弟妹', '好动，注意力不集中', '有礼貌，爱帮助同学'];
const INTERESTS = ['画画', '篮球', '唱歌', '看书', '跳绳', '乒乓球', '手工', '下棋', '足球', '写字'];
const NOTES = [
  '谈心：情绪稳定，学习有进步',
  '想念父母，鼓励其多与家人视频',
  '作业完成较好，需加强阅读',
  '与同学相处融洽',
  '近期睡眠不足，已告知监护人',
  '家访：祖辈身体尚可，家中卫生一般',
  '心理辅导：考试焦虑，已做放松训练',
  '学习用品短缺，已协调解决',
];
const AID_ITEMS = ['书包、文具', '冬衣一套', '棉被', '助学金', '营养餐补助', '课外书十本', '学习台灯', '运动鞋'];

export function fictionalName(random: Random): string {
  return random.pick(SURNAMES) + random.pick(GIVEN) + (random.chance(0.7) ? random.pick(GIVEN) : '');
}

export function fictionalPlace(random: Random): string {
  return random.pick(PLACE_SYLLABLES) + random.pick(PLACE_SYLLABLES);
}

/** A made-up number in a range no Chinese line uses (100…). */
export function fictionalPhone(random: Random): string {
  return `100-${String(random.int(0, 9999)).padStart(4, '0')}-${String(random.int(0, 9999)).padStart(4, '0')}`;
}

export const workCity = (random: Random) => random.pick(WORK_CITIES);
export const employer = (random: Random) => random.pick(EMPLOYERS);
export const personality = (random: Random) => random.pick(PERSONALITIES);
export const interest = (random: Random) => `${random.pick(INTERESTS)}、${random.pick(INTERESTS)}`;
export const careNote = (random: Random) => random.pick(NOTES);
export const aidItems = (random: Random) => random.pick(AID_ITEMS);
