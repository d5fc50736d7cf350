/*
 * Investor origin (投资方所在地) as a region from a code list: GB/T 2260 administrative division codes, six digits,
 * 'PP0000' a province-level division, 'PPCC00' a prefecture-level city. Seed 002 counts "市外1000万元以上有资金
 * 到位的项目" — an investor from outside the city — so the code must say the city where it can, and 市外 / 省外
 * are derived by comparing the investor's region with the host's city and province (funds.ts).
 *
 * Coverage (a compact list, not the whole standard): all 34 provincial-level divisions; every prefecture-level
 * division of 吉林省 (the seeds' province), 辽宁省 and 黑龙江省 (its neighbours); the cities the demo, the ledger
 * template and the seeds name; the provincial capitals and the major investor cities. The four municipalities and
 * the two SARs are both a province and a city (their own code). A few county-level cities investors are often
 * written by (诸暨, 义乌, 昆山, 江阴, 晋江, 慈溪) are read as their prefecture. Anything else is "unknown" and is
 * flagged at import, never guessed.
 */

export interface Region {
  /** GB/T 2260 code, six digits. */
  code: string;
  /** Full name: 吉林省, 长春市, 延边朝鲜族自治州. */
  name: string;
}

/** [code, full name, short name]. */
const PROVINCES: readonly (readonly [string, string, string])[] = [
  ['110000', '北京市', '北京'],
  ['120000', '天津市', '天津'],
  ['130000', '河北省', '河北'],
  ['140000', '山西省', '山西'],
  ['150000', '内蒙古自治区', '内蒙古'],
  ['210000', '辽宁省', '辽宁'],
  ['220000', '吉林省', '吉林'],
  ['230000', '黑龙江省', '黑龙江'],
  ['310000', '上海市', '上海'],
  ['320000', '江苏省', '江苏'],
  ['330000', '浙江省', '浙江'],
  ['340000', '安徽省', '安徽'],
  ['350000', '福建省', '福建'],
  ['360000', '江西省', '江西'],
  ['370000', '山东省', '山东'],
  ['410000', '河南省', '河南'],
  ['420000', '湖北省', '湖北'],
  ['430000', '湖南省', '湖南'],
  ['440000', '广东省', '广东'],
  ['450000', '广西壮族自治区', '广西'],
  ['460000', '海南省', '海南'],
  ['500000', '重庆市', '重庆'],
  ['510000', '四川省', '四川'],
  ['520000', '贵州省', '贵州'],
  ['530000', '云南省', '云南'],
  ['540000', '西藏自治区', '西藏'],
  ['610000', '陕西省', '陕西'],
  ['620000', '甘肃省', '甘肃'],
  ['630000', '青海省', '青海'],
  ['640000', '宁夏回族自治区', '宁夏'],
  ['650000', '新疆维吾尔自治区', '新疆'],
  ['710000', '台湾省', '台湾'],
  ['810000', '香港特别行政区', '香港'],
  ['820000', '澳门特别行政区', '澳门'],
  // Not a GB/T 2260 division: investors from abroad (境外). A province and a city of its own, so such an investor is
  // always 市外 and 省外 of any host; with 台湾, 香港 and 澳门 it is 境外 (ABROAD_CODES).
  ['990000', '境外', '境外'],
];

/** Province-level divisions that are a city too (直辖市, 特别行政区): their own code is their city. */
const CITY_PROVINCES = new Set(['110000', '120000', '310000', '500000', '810000', '820000', '990000']);

/** The pseudo-code of an investor from abroad (境外: another country), outside GB/T 2260. */
export const ABROAD_CODE = '990000';

/** Regions counted as 境外 (境外 proper, 香港, 澳门, 台湾): 市外 and 省外 of every host, and 境外 in the ledger. */
const ABROAD_PROVINCES = new Set(['710000', '810000', '820000', ABROAD_CODE]);

/** Whether an investor's region is 境外 (abroad, or Hong Kong, Macau, Taiwan). */
export function isAbroad(code: string | null | undefined): boolean {
  return !!code && ABROAD_PROVINCES.has(provinceCodeOf(code));
}

/**
 * Words officers write for an investor from abroad: 境外 itself, and the countries investors most often come from
 * (read as 境外; which country is kept in the free text).
 */
const ABROAD_WORDS = [
  '境外',
  '国外',
  '海外',
  '外资',
  '外国',
  '美国',
  '日本',
  '韩国',
  '德国',
  '法国',
  '英国',
  '意大利',
  '荷兰',
  '瑞士',
  '瑞典',
  '丹麦',
  '芬兰',
  '挪威',
  '比利时',
  '奥地利',
  '西班牙',
  '加拿大',
  '澳大利亚',
  '新西兰',
  '新加坡',
  '马来西亚',
  '泰国',
  '印度尼西亚',
  '越南',
  '印度',
  '以色列',
  '俄罗斯',
  '蒙古',
  '朝鲜',
  '阿联酋',
  '沙特',
  '巴西',
];

/** [code, full name] of prefecture-level divisions; the short name is the full one without 市. */
const CITIES: readonly (readonly [string, string])[] = [
  // 河北, 山西, 内蒙古
  ['130100', '石家庄市'],
  ['130200', '唐山市'],
  ['130600', '保定市'],
  ['140100', '太原市'],
  ['150100', '呼和浩特市'],
  ['150200', '包头市'],
  // 辽宁 (all 14)
  ['210100', '沈阳市'],
  ['210200', '大连市'],
  ['210300', '鞍山市'],
  ['210400', '抚顺市'],
  ['210500', '本溪市'],
  ['210600', '丹东市'],
  ['210700', '锦州市'],
  ['210800', '营口市'],
  ['210900', '阜新市'],
  ['211000', '辽阳市'],
  ['211100', '盘锦市'],
  ['211200', '铁岭市'],
  ['211300', '朝阳市'],
  ['211400', '葫芦岛市'],
  // 吉林 (all 9)
  ['220100', '长春市'],
  ['220200', '吉林市'],
  ['220300', '四平市'],
  ['220400', '辽源市'],
  ['220500', '通化市'],
  ['220600', '白山市'],
  ['220700', '松原市'],
  ['220800', '白城市'],
  ['222400', '延边朝鲜族自治州'],
  // 黑龙江 (all 13)
  ['230100', '哈尔滨市'],
  ['230200', '齐齐哈尔市'],
  ['230300', '鸡西市'],
  ['230400', '鹤岗市'],
  ['230500', '双鸭山市'],
  ['230600', '大庆市'],
  ['230700', '伊春市'],
  ['230800', '佳木斯市'],
  ['230900', '七台河市'],
  ['231000', '牡丹江市'],
  ['231100', '黑河市'],
  ['231200', '绥化市'],
  ['232700', '大兴安岭地区'],
  // 江苏
  ['320100', '南京市'],
  ['320200', '无锡市'],
  ['320400', '常州市'],
  ['320500', '苏州市'],
  ['320600', '南通市'],
  ['321000', '扬州市'],
  // 浙江
  ['330100', '杭州市'],
  ['330200', '宁波市'],
  ['330300', '温州市'],
  ['330400', '嘉兴市'],
  ['330500', '湖州市'],
  ['330600', '绍兴市'],
  ['330700', '金华市'],
  ['331000', '台州市'],
  // 安徽, 福建, 江西
  ['340100', '合肥市'],
  ['350100', '福州市'],
  ['350200', '厦门市'],
  ['350500', '泉州市'],
  ['350900', '宁德市'],
  ['360100', '南昌市'],
  // 山东
  ['370100', '济南市'],
  ['370200', '青岛市'],
  ['370600', '烟台市'],
  ['370700', '潍坊市'],
  ['371000', '威海市'],
  // 河南, 湖北, 湖南
  ['410100', '郑州市'],
  ['420100', '武汉市'],
  ['430100', '长沙市'],
  // 广东
  ['440100', '广州市'],
  ['440300', '深圳市'],
  ['440400', '珠海市'],
  ['440600', '佛山市'],
  ['441300', '惠州市'],
  ['441900', '东莞市'],
  ['442000', '中山市'],
  // 广西, 海南
  ['450100', '南宁市'],
  ['460100', '海口市'],
  // 西南, 西北
  ['510100', '成都市'],
  ['520100', '贵阳市'],
  ['530100', '昆明市'],
  ['540100', '拉萨市'],
  ['610100', '西安市'],
  ['620100', '兰州市'],
  ['630100', '西宁市'],
  ['640100', '银川市'],
  ['650100', '乌鲁木齐市'],
];

/** County-level cities written for their prefecture (an investor "from 诸暨" is from 绍兴市 for 市外). */
const COUNTY_CITIES: readonly (readonly [string, string])[] = [
  ['诸暨', '330600'],
  ['义乌', '330700'],
  ['慈溪', '330200'],
  ['昆山', '320500'],
  ['江阴', '320200'],
  ['晋江', '350500'],
];

const BY_CODE = new Map<string, Region>([
  ...PROVINCES.map(([code, name]) => [code, { code, name }] as const),
  ...CITIES.map(([code, name]) => [code, { code, name }] as const),
]);

/** Every region of the list, provinces first. */
export function allRegions(): Region[] {
  return [...BY_CODE.values()];
}

export function regionByCode(code: string | null | undefined): Region | undefined {
  return code ? BY_CODE.get(code) : undefined;
}

/** The province-level code of a region code. */
export function provinceCodeOf(code: string): string {
  return `${code.slice(0, 2)}0000`;
}

/** The city (prefecture-level) code of a region code; null when the code names only a province. */
export function cityCodeOf(code: string): string | null {
  const province = provinceCodeOf(code);
  if (CITY_PROVINCES.has(province)) return province;
  return code.endsWith('0000') ? null : `${code.slice(0, 4)}00`;
}

/** The region's name with its province's first (辽宁省沈阳市; 北京市; 吉林省): how cards and the ledger show it. */
export function regionLabel(code: string): string {
  const r = BY_CODE.get(code);
  if (!r) return code;
  const p = BY_CODE.get(provinceCodeOf(code));
  return p && p.code !== r.code && !CITY_PROVINCES.has(p.code) ? `${p.name}${r.name}` : r.name;
}

const stripCity = (name: string) => name.replace(/(市|地区|朝鲜族自治州)$/, '');
const PROVINCE_SHORTS = new Set(PROVINCES.map(([, , s]) => s));

/**
 * The region free text names, the way a ledger writes it: '吉林省长春市', '长春', '辽宁沈阳', '浙江省诸暨市',
 * '广东省', '220100'. The most specific match wins (a city over its province); a city named with a province it
 * is not in is no match; a bare short name that is also a province's ('吉林') is the province. Undefined when
 * nothing in the list matches (the import flags it).
 */
export function readRegion(text: string | null | undefined): Region | undefined {
  const s = (text ?? '').replace(/[\s\u3000]+/g, '');
  if (!s) return undefined;
  if (/^\d{6}$/.test(s)) return BY_CODE.get(s);
  if (ABROAD_WORDS.some((w) => s.startsWith(w))) return BY_CODE.get(ABROAD_CODE);
  // '吉林市' is the city, not 吉林省 followed by 市.
  const province = PROVINCES.find(([, name, short]) => s.startsWith(name) || (s.startsWith(short) && s[short.length] !== '市'));
  const rest = province ? s.slice(s.startsWith(province[1]) ? province[1].length : province[2].length) : s;
  const inProvince = (code: string) => !province || provinceCodeOf(code) === province[0];
  let best: Region | undefined;
  let bestLength = 0;
  for (const [code, name] of CITIES) {
    const short = stripCity(name);
    const hit = rest.includes(name) ? name.length : !PROVINCE_SHORTS.has(short) && rest.includes(short) ? short.length : 0;
    if (hit > bestLength && inProvince(code)) {
      best = BY_CODE.get(code);
      bestLength = hit;
    }
  }
  if (best) return best;
  for (const [name, code] of COUNTY_CITIES) if (rest.includes(name) && inProvince(code)) return BY_CODE.get(code);
  if (province) {
    // Another province's city after this one's name ('吉林省深圳市') is no match rather than the province.
    if (rest && CITIES.some(([, name]) => rest.includes(name))) return undefined;
    return BY_CODE.get(province[0]);
  }
  return undefined;
}
