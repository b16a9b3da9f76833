import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/** Cloud functions run in UTC; people read China time. */
export const CHINA_TZ = 'Asia/Shanghai';

export function chinaTime(iso: string, format = 'YYYY-MM-DD HH:mm'): string {
  return dayjs(iso).tz(CHINA_TZ).format(format);
}
