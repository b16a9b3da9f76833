#!/usr/bin/env node
/**
 * npm run docs: writes docs/api.md from the action tables the functions run
 * on (server/functions), docs/database.md from the database declaration
 * (server/db/schema.ts) and README's privacy checklist from
 * miniprogram/privacy.ts, so the reference cannot drift from the code. A test
 * (tests/server/docs.test.ts) fails when either file differs from what this
 * script would write now.
 *
 * Usage: node scripts/gen-docs.js           writes both files
 *        require('./gen-docs').render()     → {'docs/api.md': text, …}
 */
const { loadTs } = require('./load-ts');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');

/** The TypeScript sources, bundled to one CommonJS file (packages stay in node_modules). */
function loadSources() {
  return loadTs('docs-sources', [
    "export { functions } from './server/functions';",
    "export { COLLECTIONS } from './server/db/schema';",
    "export { NEED_FIELDS } from './server/needs/schema';",
    "export { PRIVACY_USES } from './miniprogram/privacy';",
  ], { keep: false });
}

// ---------------------------------------------------------------------------
// zod schemas → rows of {field, type, required, rules}

// A `|` inside a table cell would end the cell, even within backticks.
const code = (s) => `\`${String(s).replace(/\|/g, '\\|')}\``;
const num = (n) => (Number.isInteger(n) && Math.abs(n) >= 10000 ? n.toLocaleString('en-US') : String(n));

/** Peels optional / nullable / default / refinements off a schema. */
function unwrap(schema) {
  let s = schema;
  const out = { optional: false, nullable: false, refined: false, defaultValue: undefined };
  for (;;) {
    const def = s._def;
    switch (def.typeName) {
      case 'ZodOptional':
        out.optional = true;
        s = def.innerType;
        break;
      case 'ZodNullable':
        out.nullable = true;
        s = def.innerType;
        break;
      case 'ZodDefault':
        out.optional = true;
        out.defaultValue = def.defaultValue();
        s = def.innerType;
        break;
      case 'ZodCatch':
      case 'ZodReadonly':
        s = def.innerType;
        break;
      case 'ZodBranded':
        s = def.type;
        break;
      case 'ZodPipeline':
        s = def.in;
        break;
      case 'ZodLazy':
        s = def.getter();
        break;
      case 'ZodEffects': {
        const inner = def.schema._def.typeName;
        // A transform over unknown is a schema the handler checks itself: nothing to read here.
        if (inner === 'ZodUnknown' || inner === 'ZodAny') return { ...out, schema: s, opaque: true };
        if (def.effect.type === 'refinement') out.refined = true;
        s = def.schema;
        break;
      }
      default:
        return { ...out, schema: s, opaque: false };
    }
  }
}

function range(min, max, unit) {
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${num(min)}${unit}` : `${num(min)}–${num(max)}${unit}`;
  if (min === 1 && unit === ' chars') return 'non-empty';
  if (min !== undefined) return `at least ${num(min)}${unit}`;
  if (max !== undefined) return `at most ${num(max)}${unit}`;
  return '';
}

function stringRules(def) {
  let min;
  let max;
  const rules = [];
  for (const c of def.checks) {
    if (c.kind === 'min') min = c.value;
    else if (c.kind === 'max') max = c.value;
    else if (c.kind === 'length') min = max = c.value;
    else if (c.kind === 'regex') rules.push(`matches ${code(`/${c.regex.source}/`)}`);
    else if (c.kind === 'datetime') rules.push('ISO 8601 date-time');
    else if (['email', 'url', 'uuid', 'cuid', 'ulid', 'ip', 'date', 'time'].includes(c.kind)) rules.push(c.kind);
    else if (c.kind === 'startsWith' || c.kind === 'endsWith') rules.push(`${c.kind} ${code(c.value)}`);
  }
  const length = range(min, max, ' chars');
  return [length, ...rules].filter(Boolean);
}

function numberRules(def) {
  const rules = [];
  let low;
  let high;
  for (const c of def.checks) {
    if (c.kind === 'int') rules.push('integer');
    else if (c.kind === 'min') low = `${c.inclusive ? '≥' : '>'} ${num(c.value)}`;
    else if (c.kind === 'max') high = `${c.inclusive ? '≤' : '<'} ${num(c.value)}`;
    else if (c.kind === 'multipleOf') rules.push(`multiple of ${c.value}`);
    else if (c.kind === 'finite') rules.push('finite');
  }
  if (low && high) rules.push(`${low}, ${high}`);
  else if (low || high) rules.push(low || high);
  return rules;
}

/** One schema as a type label, its rules, and (for objects and arrays of objects) its fields. */
function describe(schema) {
  const u = unwrap(schema);
  const s = u.schema;
  const def = s._def;
  const base = { optional: u.optional, nullable: u.nullable, defaultValue: u.defaultValue, rules: [], fields: undefined, variants: undefined };
  if (u.refined) base.rules.push('further checks by the action');
  if (u.opaque) return { ...base, type: 'any', rules: ['checked by the action (see its notes)'], opaque: true };
  switch (def.typeName) {
    case 'ZodString':
      return { ...base, type: 'string', rules: [...stringRules(def), ...base.rules] };
    case 'ZodNumber':
      return { ...base, type: 'number', rules: [...numberRules(def), ...base.rules] };
    case 'ZodBigInt':
      return { ...base, type: 'bigint' };
    case 'ZodBoolean':
      return { ...base, type: 'boolean' };
    case 'ZodDate':
      return { ...base, type: 'date' };
    case 'ZodLiteral':
      return { ...base, type: code(JSON.stringify(def.value)) };
    case 'ZodEnum':
      return { ...base, type: 'enum', rules: [`one of ${def.values.map(code).join(', ')}`, ...base.rules] };
    case 'ZodNativeEnum':
      return { ...base, type: 'enum', rules: [`one of ${Object.values(def.values).map((v) => code(v)).join(', ')}`, ...base.rules] };
    case 'ZodArray': {
      const item = describe(def.type);
      const count = range(def.exactLength?.value ?? def.minLength?.value, def.exactLength?.value ?? def.maxLength?.value, ' items');
      const rules = [count, ...base.rules];
      if (item.fields) return { ...base, type: 'object[]', rules: rules.filter(Boolean), fields: item.fields };
      return { ...base, type: /\s/.test(item.type) ? `(${item.type})[]` : `${item.type}[]`, rules: [...rules, ...item.rules.map((r) => `each ${r}`)].filter(Boolean) };
    }
    case 'ZodObject':
      return { ...base, type: 'object', fields: objectFields(s) };
    case 'ZodRecord': {
      const value = describe(def.valueType);
      return { ...base, type: `map of ${value.type}`, rules: [...value.rules.map((r) => `each ${r}`), ...base.rules] };
    }
    case 'ZodUnion':
    case 'ZodDiscriminatedUnion': {
      const options = [...(def.options instanceof Map ? def.options.values() : def.options)].map(describe);
      if (options.some((o) => o.fields)) return { ...base, type: 'object', variants: options };
      return {
        ...base,
        type: options.map((o) => o.type).join(' or '),
        rules: [...options.flatMap((o) => (o.rules.length ? [`${o.type}: ${o.rules.join(', ')}`] : [])), ...base.rules],
      };
    }
    case 'ZodIntersection': {
      const left = describe(def.left);
      const right = describe(def.right);
      if (left.fields && right.fields) return { ...base, type: 'object', fields: [...left.fields, ...right.fields] };
      return { ...base, type: `${left.type} and ${right.type}` };
    }
    case 'ZodTuple':
      return { ...base, type: `[${def.items.map((i) => describe(i).type).join(', ')}]` };
    case 'ZodNull':
      return { ...base, type: 'null' };
    case 'ZodAny':
    case 'ZodUnknown':
      return { ...base, type: 'any' };
    default:
      return { ...base, type: def.typeName.replace(/^Zod/, '').toLowerCase() };
  }
}

function objectFields(obj) {
  const shape = typeof obj._def.shape === 'function' ? obj._def.shape() : obj.shape;
  return Object.entries(shape).map(([name, schema]) => ({ name, ...describe(schema) }));
}

/** Rows of a field table, nested fields flattened as `a.b` and `list[].b`. */
function fieldRows(fields, prefix = '') {
  const rows = [];
  for (const f of fields) {
    const name = `${prefix}${f.name}`;
    const rules = [...f.rules];
    if (f.nullable) rules.push('may be `null`');
    if (f.defaultValue !== undefined) rules.push(`default ${code(JSON.stringify(f.defaultValue))}`);
    rows.push(`| ${code(name)} | ${f.type} | ${f.optional ? 'optional' : 'required'} | ${rules.join('; ')} |`);
    if (f.fields) rows.push(...fieldRows(f.fields, f.type === 'object[]' ? `${name}[].` : `${name}.`));
    if (f.variants) {
      f.variants.forEach((v, i) => {
        if (v.fields) rows.push(...fieldRows(v.fields, `${name} (form ${i + 1}): `.replace(': ', '.')));
      });
    }
  }
  return rows;
}

function fieldTable(fields) {
  if (!fields.length) return '_No input besides `action`._';
  return ['| field | type | required | rules |', '|---|---|---|---|', ...fieldRows(fields)].join('\n');
}

function inputSection(schema) {
  const d = describe(schema);
  if (d.opaque) return { text: 'Input is checked by the action itself; see the notes.', opaque: true };
  if (d.fields) return { text: fieldTable(d.fields) };
  if (d.variants) {
    return {
      text: d.variants
        .map((v, i) => `One of these forms — form ${i + 1}:\n\n${v.fields ? fieldTable(v.fields) : `${v.type} ${v.rules.join('; ')}`}`)
        .join('\n\n'),
    };
  }
  return { text: `Input: ${d.type}${d.rules.length ? ` (${d.rules.join('; ')})` : ''}` };
}

// ---------------------------------------------------------------------------
// What the code cannot say about an action, keyed `function.action`. An action
// whose input schema cannot be read (a transform over unknown) must have one:
// the docs test checks it.

const NOTES = {
  'need.submit':
    'Either one need — `{type, clientKey, ...the fields of that type}` — or several at once — ' +
    '`{clientKey, needs: [{type, ...fields}, …]}`, at most one per type. `clientKey` (8–64 chars) makes the ' +
    'submission idempotent: the same key from the same caller with the same content answers the first result ' +
    'and creates nothing; the same key with other content (another quantity, one need more or less), or after ' +
    'the caller moved to another enterprise, is `CONFLICT`. ' +
    'The fields of each type are under [Need types](#need-types-and-their-fields).',
  'need.fulfil':
    'Supplies: `quantityDelivered` is what this delivery brought (left out: everything the need still owes); ' +
    'the need answers its total over all its fulfils, and what is still owed is its one remainder ' +
    '(`remainderId`, a new need in the same queue). After a reopen a delivery is taken off that remainder, ' +
    'which closes when nothing is owed; once the remainder is closed the need may deliver nothing more. ' +
    'Financing: `grantedWan` (万元, required, at most `amountWan`) is what the bank granted — the ledger ' +
    'sums it. Refused (`FORBIDDEN`) on a need of the caller\'s own enterprise or one they raised, as are ' +
    '`claim` and `transfer`. See [the lifecycle](lifecycle.md).',
  'need.get':
    'Answers the need with its `timeline[]`, the enterprise `contact` `{name, phone, address?, location?}` ' +
    '(the phone masked for those the spec does not allow) and `allowedActions[]`: the actions this caller may ' +
    'take on this need now, from the lifecycle table (`claim`, `renew`, `release`, `breakClaim`, `progress`, ' +
    '`wait`, `contacted`, `answer`, `fulfil`, `transfer`, `reject`, `cancel`, `confirm`, `reopen`; see ' +
    '[the lifecycle](lifecycle.md)). `need.queue` and `need.mine` rows carry `allowedActions` too. ' +
    'A claimed need carries `claimedByMe` (the caller holds the claim) and, from `need.get` when the claim is ' +
    'someone else\'s, `claimedByName` (the claimer as their unit invite named them, else the unit; one read ' +
    'more); `claimedBy` (the OPENID) only for admins.',
  'user.redeemInvite':
    'Codes are 12 characters (8-character codes issued earlier stay valid until they expire); spaces, hyphens ' +
    'and lower case are accepted. A used code never grants again: a retry by the person who claimed it ' +
    'finishes a grant that never landed, only while the code is unexpired; after that, or after the person ' +
    'was revoked, it is `CONFLICT` (or `FAILED_PRECONDITION` once expired). A code whose issuer no longer ' +
    'holds what it was issued under answers `NOT_FOUND`, like an unknown code. See [access](access.md).',
  'admin.listInvites':
    'Admins: every invite. Others: the invites they issued, and every invite into a unit they head or, for ' +
    'the registrant of an enterprise, into it. Each item: `{code, role, head, status: open/used/revoked, ' +
    'createdAt, expiresAt, issuedByMe, unitCode?, unitName?, taskForceId?, taskForceName?, enterpriseId?, ' +
    'name?, usedAt?, revokedAt?}`, newest first.',
  'admin.revokeInvite':
    'An unused invite: by an admin, its issuer, a head of the unit it is for, or the registrant of the ' +
    'enterprise it is for. A used code is `FAILED_PRECONDITION` (take the person\'s role back instead).',
  'admin.revoke':
    'Also withdraws the open invites the person issued that they could no longer issue, and returns to the ' +
    'queue the needs they held in the units they lose (a timeline event each; the unit is told). The audit ' +
    'entry lists both (`details.codes`, `details.releasedNeeds`).',
  'admin.enterprises':
    'Items `{id, name, zone, zoneName, industry, verified, resumed, employeesTotal, employeesBack, ' +
    'lastVisitAt, contactName, contactPhone}` with `total`; the phone masked (138****5678), as everywhere an ' +
    'admin reads one.',
  'admin.reassignEnterprise':
    'Makes `openid` (someone who has opened the app and holds no other enterprise) the registrant of the ' +
    'enterprise; the previous registrant loses it with the invites they issued into it. `reason` goes into ' +
    'the audit log; `contactName`/`contactPhone` replace the enterprise\'s contact. Answers `{enterpriseId, ' +
    'ownerOpenid}`.',
  'admin.retireEnterprise':
    'Marks the enterprise retired (`retiredAt`, no longer verified), frees its credit code for registration, ' +
    'takes it from everyone who held it and cancels its open needs. `reason` goes into the audit log. ' +
    'Repeating it finishes what a stop left. Answers `{retired, removedMembers, cancelledNeeds}`.',
  'admin.auditLog':
    'Entries `{id, at, action, actor, actorName, target?, targetName?, details}`, newest first; `action` is ' +
    'one of `grant`, `regrant`, `register`, `revoke`, `revokeInvite`, `removeMember`, `reassignEnterprise`, ' +
    '`retireEnterprise`.',
  'enterprise.register':
    'A credit code already registered is `CONFLICT` naming no person: it says to ask the enterprise\'s ' +
    'registrant for an invite, or, if the registration is wrong, the task force of its zone or the federation.',
  'enterprise.update':
    'Changing the name, the credit code or the position clears 已核实 until a task force or an admin verifies ' +
    'again; visits are measured from the position last verified (`verifiedLocation`).',
  'enterprise.members':
    'Items `{memberId, me, name, owner, joinedAt}`: `memberId` names a colleague for `removeMember`; no OPENID.',
  'enterprise.removeMember':
    'The registrant removes a colleague by `memberId` (from `enterprise.members`); `{openid}` is still ' +
    'accepted from older clients. Exactly one is needed.',
  'visit.list':
    'Items carry `memberName` (the member as their task-force invite named them) and `mine`; `member` (the ' +
    'OPENID) only for admins.',
  'scheduler.run':
    'The timer trigger calls the function with `{Type: "Timer"}` and no caller; that form is honoured only ' +
    'when the WeChat context has no OPENID, otherwise `FORBIDDEN`.',
};

function audience(roles) {
  return roles === 'signedIn' ? 'any signed-in user' : roles.map(code).join(', ');
}

function renderApi({ functions, NEED_FIELDS }) {
  const out = [];
  out.push(
    '# API reference',
    '',
    '<!-- Generated by `npm run docs` (scripts/gen-docs.js) from server/functions; do not edit by hand. -->',
    '',
    'Every cloud function takes one JSON object `{"action": "<action>", ...input}` and answers an envelope.',
    'The mini-program calls `wx.cloud.callFunction({name: "<function>", data: {action, ...input}})`; the',
    'local gateway (`npm start`) serves the same functions over HTTP.',
    '',
    '## Conventions',
    '',
    '- **Gateway.** `POST /api/<function>` with the JSON body above on `http://127.0.0.1:3000` (`PORT`',
    '  overrides). The caller is the header `x-openid`, accepted by the local gateway only; deployed, the',
    '  caller is the OPENID of the WeChat context and nothing in the input can claim to be someone.',
    '  `x-openid` must match `[A-Za-z0-9_-]{1,64}` (otherwise 400 `INVALID_ARGUMENT`, field `x-openid`). A',
    '  request whose `Host` is not `127.0.0.1`, `localhost`, `[::1]` or a name in `GATEWAY_HOSTS`, or that',
    '  carries an `Origin` not listed in `CORS_ORIGINS`, is refused with 403 `FORBIDDEN` before anything runs.',
    '- **Free text.** Every free-text field (names, addresses, notes, reasons, questions, answers, comments,',
    '  checklist fields, what admins name things) refuses what XML 1.0 cannot carry (C0 controls except tab,',
    '  LF and CR; U+FFFE, U+FFFF; lone surrogates), DEL and the C1 controls, bidi controls (U+202A–202E,',
    '  U+2066–2069) and zero-width characters (U+200B–200F, U+FEFF); single-line fields (names, addresses,',
    '  units) refuse line breaks and tabs too. The refusal is `INVALID_ARGUMENT` with the field and a Chinese',
    '  message. Exported workbooks drop those code points again when written.',
    '- **Envelope.** `{"ok": true, "data": …}` or `{"ok": false, "error": {"code", "message", "field"?}}` —',
    '  the same object the deployed function returns. `message` is Chinese, written for the person using the',
    '  phone; `field` names the offending input (dotted path, e.g. `items.0.quantity`) for `INVALID_ARGUMENT`.',
    '- **Error codes.** `INVALID_ARGUMENT` (input outside its rules, with `field`), `UNAUTHENTICATED` (no',
    '  caller), `FORBIDDEN` (the caller\'s roles or scope do not allow it), `NOT_FOUND` (no such action or',
    '  document), `CONFLICT` (already claimed, duplicate), `FAILED_PRECONDITION` (wrong state for the',
    '  action), `RATE_LIMITED` (over the per-minute limit), `INTERNAL` (anything else; details stay in the',
    '  server log).',
    '- **Roles.** Each action names the roles allowed to call it; "any signed-in user" includes someone',
    '  holding no role yet (login, register). Scope (which enterprise, unit or zone) is checked by the action.',
    '- **Keys.** `need.submit` and `visit.checkIn` take a required `clientKey`, every action of the need',
    '  lifecycle an optional one. A key names one content: the same key from the same caller with the same',
    '  input answers the first result (a lifecycle action that already landed answers the need as it stands',
    '  — a phone replaying a claim it won learns "done by me", not `CONFLICT`); the same key with other input',
    '  is `CONFLICT`.',
    '- **Rate limits.** Where an action has one, calls per caller per minute; admins can change it per',
    '  action in the settings (`rateLimits["<function>.<action>"]`).',
    '- **Lists.** Every list answers `{items: [...], nextCursor?}` and takes `cursor` (the `nextCursor` of',
    '  the previous page); at most 200 items a page. No `nextCursor` means the last page.',
    '- **Objects and times.** Objects carry `id` (the document `_id`) and camelCase fields. Times are ISO 8601',
    '  strings in UTC; the pages show them in China time.',
    '- **Identities.** OPENIDs reach admins only; everyone else reads people by name (`claimedByName`,',
    '  `memberName`), with `claimedByMe` / `mine` / `me` for their own.',
    '- **Call log.** The gateway logs one line per call: `<time> <function>.<action> caller=<openid> <ms>ms',
    '  db=<N> <outcome>`, where `db` is the number of database round trips the call made.',
    '',
    '## Functions',
    '',
    '| function | actions |',
    '|---|---|',
  );
  for (const [fn, table] of Object.entries(functions)) {
    out.push(`| [${code(fn)}](#${fn}) | ${Object.keys(table).map((a) => `[${a}](#${fn}${a.toLowerCase()})`).join(', ')} |`);
  }
  for (const [fn, table] of Object.entries(functions)) {
    out.push('', `## ${fn}`);
    for (const [action, def] of Object.entries(table)) {
      const input = inputSection(def.input);
      out.push('', `### ${fn}.${action}`, '');
      out.push(`- Roles: ${audience(def.roles)}`);
      if (def.perMinute) out.push(`- Rate limit: ${def.perMinute} calls per caller per minute`);
      out.push('', input.text);
      const note = NOTES[`${fn}.${action}`];
      if (note) out.push('', note);
    }
  }
  if (NEED_FIELDS) {
    out.push('', '## Need types and their fields', '', 'The fields `need.submit` takes for each `type`.');
    for (const [type, schema] of Object.entries(NEED_FIELDS)) {
      out.push('', `### ${type}`, '', fieldTable(describe(schema).fields || []));
    }
  }
  return `${out.join('\n')}\n`;
}

/** The actions whose input schema cannot be read and that have no note (the docs test wants none). */
function undocumentedOpaque({ functions }) {
  const missing = [];
  for (const [fn, table] of Object.entries(functions)) {
    for (const [action, def] of Object.entries(table)) {
      if (inputSection(def.input).opaque && !NOTES[`${fn}.${action}`]) missing.push(`${fn}.${action}`);
    }
  }
  return missing;
}

function renderDatabase({ COLLECTIONS }) {
  const out = [
    '# Database',
    '',
    '<!-- Generated by `npm run docs` (scripts/gen-docs.js) from server/db/schema.ts; do not edit by hand. -->',
    '',
    'Every collection the functions use and the indexes their queries need, from the one declaration in',
    '`server/db/schema.ts`. Setup creates the collections; make the indexes in the CloudBase console',
    '(数据库 → the collection → 索引管理) with the names and fields below. Every collection is',
    '"仅云函数可读写": the mini-program reaches data only through the functions.',
    '',
    'A query is covered when the database can seek to its documents and read them in the order asked,',
    'without sorting in memory: by `_id` (equal, `in`, or a range on the primary key) always; otherwise one',
    'index of its collection must start with a field the query filters on by equality or `in`, and the sort,',
    'less the fields pinned by equality, must be that index\'s next fields, all in their declared directions',
    'or all exactly reversed — `(createdAt desc, _id asc)` does not serve `createdAt desc, _id desc`, so the',
    'newest-first lists (which break ties by `_id` in the same direction) have `_id desc` in their indexes.',
    'An aggregation answers at most 20 rows unless it has a `.limit()` (a cloud function\'s default).',
    'Changing an index\'s fields or directions in the console means deleting it and creating it again.',
    '',
    'An object given to `update()` merges field by field (wx-server-sdk sends it as dotted paths); an update',
    'that replaces an object says `db.command.set(obj)`, and a test finds any update in `server/` that does',
    'not. A path through a value that is not an object (null, a string) is refused, as CloudBase refuses it.',
    '',
    '| collection | holds | indexes |',
    '|---|---|---|',
  ];
  for (const c of COLLECTIONS) out.push(`| [${code(c.name)}](#${c.name.toLowerCase()}) | ${c.holds} | ${c.indexes.length} |`);
  for (const c of COLLECTIONS) {
    out.push('', `## ${c.name}`, '', c.holds, '');
    if (!c.indexes.length) {
      out.push('Read and written by `_id` only: no index beyond `_id`.');
      continue;
    }
    out.push('| index | fields | unique |', '|---|---|---|');
    for (const i of c.indexes) {
      out.push(`| ${code(i.name)} | ${i.fields.map(([f, o]) => `${code(f)} ${o}`).join(', ')} | ${i.unique ? 'yes' : 'no'} |`);
    }
  }
  return `${out.join('\n')}\n`;
}

/** Both files as the code stands: {relative path → content}. */
// ---------------------------------------------------------------------------
// README's privacy checklist, from miniprogram/privacy.ts

const PRIVACY_START = '<!-- privacy: generated by `npm run docs` from miniprogram/privacy.ts; do not edit by hand -->';
const PRIVACY_END = '<!-- /privacy -->';

function renderPrivacy(uses) {
  const rows = uses.map(
    (u) =>
      `| ${u.item} | ${code(`wx.${u.api}`)} | ${u.pages.join(', ')} | ${u.purpose} | ${u.applyFor ? '申请（开发管理 → 接口设置）' : '—'} |`,
  );
  return [
    PRIVACY_START,
    '| 用户隐私保护指引: declare | API | pages | purpose to write | also apply for |',
    '|---|---|---|---|---|',
    ...rows,
    PRIVACY_END,
  ].join('\n   '); // indented as the deploy checklist's item 9
}

/** README with its privacy block replaced by the current one. */
function withPrivacy(readme, uses) {
  const start = readme.indexOf(PRIVACY_START);
  const end = readme.indexOf(PRIVACY_END);
  if (start === -1 || end === -1) throw new Error('README.md has no privacy block to replace');
  return readme.slice(0, start) + renderPrivacy(uses) + readme.slice(end + PRIVACY_END.length);
}

function render() {
  const sources = loadSources();
  return {
    'docs/api.md': renderApi(sources),
    'docs/database.md': renderDatabase(sources),
    'README.md': withPrivacy(fs.readFileSync(path.join(root, 'README.md'), 'utf8'), sources.PRIVACY_USES),
  };
}

module.exports = { render, renderApi, renderDatabase, renderPrivacy, undocumentedOpaque, describe };

if (require.main === module) {
  const files = render();
  for (const [file, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(root, file), text);
    console.log(`written: ${file}`);
  }
  // Loading the tables pulls in wx-server-sdk, which leaves a timer behind.
  process.exit(0);
}
