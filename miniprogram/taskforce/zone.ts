/**
 * The zone's enterprises as the task-force pages show them: one row per
 * enterprise, one marker state (the most pressing: overdue, then
 * unverified, then visited), and the map's markers. Pure functions, kept
 * apart from the page so tests and the check-in page can use them.
 */
import type { GeoPoint, ZoneEnterprise } from '../../typings/api';
import { INDUSTRY_LABELS } from '../utils/labels';
import { formatDateTime } from '../utils/time';

/** What a marker and a row's colour say; one state per enterprise, the most pressing first. */
export type MarkerState = 'overdue' | 'unverified' | 'visited';

export const MARKER_ICONS: Record<MarkerState, string> = {
  overdue: '/taskforce/images/marker-overdue.png',
  unverified: '/taskforce/images/marker-unverified.png',
  visited: '/taskforce/images/marker-visited.png',
};

export const LEGEND: { state: MarkerState; label: string; icon: string }[] = [
  { state: 'overdue', label: '需要走访', icon: MARKER_ICONS.overdue },
  { state: 'unverified', label: '未核实', icon: MARKER_ICONS.unverified },
  { state: 'visited', label: '已走访', icon: MARKER_ICONS.visited },
];

/** Rows shown per screenful; more as the member scrolls. */
export const ROWS_PER_SCREEN = 50;

export interface EnterpriseRow {
  id: string;
  name: string;
  address: string;
  industryLabel: string;
  /** '从未走访' | '逾期未走访' | '已走访' */
  mark: string;
  overdue: boolean;
  state: MarkerState;
  /** 「上次走访」 or 「尚无走访记录」; the time apart, so it never breaks mid-number at large text. */
  lastVisit: string;
  /** 'YYYY-MM-DD HH:mm', '' when never visited. */
  lastVisitTime: string;
  verified: boolean;
  /** Another, verified enterprise has this exact name: worth checking on the visit. */
  namesake: boolean;
  phone: string;
  contactName: string;
  located: boolean;
  latitude: number;
  longitude: number;
}

export interface Marker {
  id: number;
  latitude: number;
  longitude: number;
  iconPath: string;
  width: number;
  height: number;
  title: string;
}

export function stateOf(e: Pick<ZoneEnterprise, 'overdue' | 'verified'>): MarkerState {
  if (e.overdue) return 'overdue';
  return e.verified ? 'visited' : 'unverified';
}

export function toRow(e: ZoneEnterprise): EnterpriseRow {
  // Never visited is the more urgent of the two, and says so plainly.
  const mark = !e.lastVisitAt ? '从未走访' : e.overdue ? '逾期未走访' : '已走访';
  return {
    id: e.id,
    name: e.name,
    address: e.address,
    industryLabel: (INDUSTRY_LABELS as Record<string, string>)[e.industry] || '',
    mark,
    overdue: e.overdue,
    state: stateOf(e),
    lastVisit: e.lastVisitAt ? '上次走访' : '尚无走访记录',
    lastVisitTime: e.lastVisitAt ? formatDateTime(e.lastVisitAt) : '',
    verified: e.verified,
    namesake: !!e.nameMatchesVerified,
    phone: e.contactPhone || '',
    contactName: e.contactName || '',
    located: !!e.location,
    latitude: e.location ? e.location.latitude : 0,
    longitude: e.location ? e.location.longitude : 0,
  };
}

export function markersOf(rows: EnterpriseRow[]): Marker[] {
  const out: Marker[] = [];
  rows.forEach((r, index) => {
    if (!r.located) return;
    // The id is the row's index: the map reports a number, never our ids.
    out.push({ id: index, latitude: r.latitude, longitude: r.longitude, iconPath: MARKER_ICONS[r.state], width: 32, height: 32, title: r.name });
  });
  return out;
}

export function mapPatch(rows: EnterpriseRow[]): { markers: Marker[]; points: GeoPoint[]; center: GeoPoint } {
  const markers = markersOf(rows);
  const points = markers.map((m) => ({ latitude: m.latitude, longitude: m.longitude }));
  const center = points.length
    ? {
        latitude: points.reduce((s, p) => s + p.latitude, 0) / points.length,
        longitude: points.reduce((s, p) => s + p.longitude, 0) / points.length,
      }
    : { latitude: 0, longitude: 0 };
  return { markers, points, center };
}
