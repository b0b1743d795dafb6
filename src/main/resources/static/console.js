// pbkv console: polls every member's GET /cluster, follows the primary, streams its
// GET /cluster/events, and sends key operations to it. Plain browser JS, no build step.
'use strict';

const POLL_MS = 500;          // how often each member is asked for its view
const DOWN_POLL_MS = 2000;    // an unreachable member is asked less often
const REQUEST_TIMEOUT_MS = 1000;
const MAX_EVENTS = 200;       // events shown
const CHART_POINTS = 60;      // one a second

const state = {
  members: [],        // [{id, url, witness}] from the loading node's /cluster
  views: new Map(),   // id -> {view, at} or {error, at}
  nextPoll: new Map(),
  primaryId: null,
  primaryUrl: null,
  stream: null,
  streamUrl: null,
  events: new Map(),  // key -> event, key = node url + id
  rate: [],
  latency: [],
};

const $ = (id) => document.getElementById(id);

function withTimeout(ms) {
  const controller = new AbortController();
  setTimeout(() => controller.abort(), ms);
  return controller.signal;
}

async function getJson(url) {
  const response = await fetch(url, { cache: 'no-store', signal: withTimeout(REQUEST_TIMEOUT_MS) });
  return response.json();
}

async function loadMembers() {
  // The node this page came from lists the members; if it is gone, the last list is kept.
  const view = await getJson(location.origin + '/cluster');
  state.members = view.members.map((m) => ({ id: m.id, url: m.url, witness: m.witness }));
}

async function pollMember(member, now) {
  if ((state.nextPoll.get(member.id) || 0) > now) {
    return;
  }
  try {
    const view = await getJson(member.url + '/cluster');
    state.views.set(member.id, { view, at: Date.now() });
    state.nextPoll.set(member.id, 0);
  } catch (e) {
    state.views.set(member.id, { error: e.name === 'AbortError' ? 'no answer' : 'unreachable', at: Date.now() });
    state.nextPoll.set(member.id, now + DOWN_POLL_MS);
  }
}

/** The member that says it is primary, in the highest epoch any member reports. */
function findPrimary() {
  let best = null;
  for (const m of state.members) {
    const entry = state.views.get(m.id);
    if (entry && entry.view && entry.view.role === 'PRIMARY' && (!best || entry.view.epoch > best.view.epoch)) {
      best = { member: m, view: entry.view };
    }
  }
  return best;
}

async function poll() {
  const now = Date.now();
  try {
    if (state.members.length === 0) {
      await loadMembers();
    }
    await Promise.all(state.members.map((m) => pollMember(m, now)));
    const primary = findPrimary();
    state.primaryId = primary ? primary.member.id : null;
    state.primaryUrl = primary ? primary.member.url : null;
    followStream();
    render(primary);
  } catch (e) {
    $('connection').textContent = 'no member answers (' + e.message + ')';
    $('connection').className = 'bad';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

function render(primary) {
  $('primary-id').textContent = state.primaryId || 'none';
  $('primary-epoch').textContent = primary ? 'epoch ' + primary.view.epoch : '';
  const reachable = state.members.filter((m) => state.views.get(m.id) && state.views.get(m.id).view).length;
  $('connection').textContent = '· ' + reachable + ' of ' + state.members.length + ' members answer'
    + (state.streamUrl ? ' · events from ' + state.primaryId : '');
  $('connection').className = reachable === state.members.length ? 'muted' : 'bad';
  renderMembers(primary);
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text === undefined || text === null ? '–' : String(text);
  if (className) {
    td.className = className;
  }
  return td;
}

function renderMembers(primary) {
  const peers = new Map((primary ? primary.view.members : []).map((p) => [p.id, p]));
  const headers = [...$('members').tHead.rows[0].cells].map((th) => th.textContent);
  const rows = state.members.map((m) => {
    const entry = state.views.get(m.id) || {};
    const v = entry.view;
    const p = peers.get(m.id) || {};
    const tr = document.createElement('tr');
    tr.id = 'member-' + m.id;
    if (m.id === state.primaryId) {
      tr.className = 'primary';
    } else if (!v) {
      tr.className = 'down';
    }
    const isPrimary = m.id === state.primaryId;
    const contact = p.lastContact ? Math.max(0, Math.round((Date.now() - Date.parse(p.lastContact)) / 100) / 10) + ' s ago' : null;
    tr.append(
      cell(m.id + (m.witness ? ' (witness)' : '')),
      cell(v ? v.role : (entry.error || '…'), v ? 'role-' + v.role : 'bad'),
      cell(v ? v.epoch : null),
      cell(isPrimary ? 'yes' : (primary && !m.witness ? (p.inSync ? 'yes' : 'no') : null)),
      cell(v ? v.lastIndex : null),
      cell(v ? v.commitIndex : null),
      cell(isPrimary ? 0 : p.lag),
      cell(isPrimary ? null : contact));
    // Each cell names its column, for the narrow layout where the header row is hidden.
    [...tr.cells].forEach((td, i) => { td.dataset.label = headers[i] || ''; });
    return tr;
  });
  $('members').tBodies[0].replaceChildren(...rows);
}

function followStream() {
  if (state.primaryUrl === state.streamUrl) {
    return;
  }
  if (state.stream) {
    state.stream.close();
  }
  state.stream = null;
  state.streamUrl = state.primaryUrl;
  if (!state.primaryUrl) {
    return;
  }
  // EventSource resumes with Last-Event-ID by itself while this node lives; a new node replays what it kept.
  const source = new EventSource(state.primaryUrl + '/cluster/events');
  const nodeUrl = state.primaryUrl;
  source.addEventListener('replica', (e) => addEvent(nodeUrl, JSON.parse(e.data)));
  source.addEventListener('stats', (e) => addStats(JSON.parse(e.data)));
  state.stream = source;
}

function addEvent(nodeUrl, event) {
  state.events.set(nodeUrl + '#' + event.id, event);
  const sorted = [...state.events.entries()].sort((a, b) => b[1].at.localeCompare(a[1].at) || b[1].id - a[1].id);
  state.events = new Map(sorted.slice(0, MAX_EVENTS));
  const items = [...state.events.values()].map((ev) => {
    const li = document.createElement('li');
    const kind = document.createElement('span');
    kind.className = 'kind kind-' + ev.kind;
    kind.textContent = ev.kind;
    li.append(ev.at.substring(11, 23) + ' ', kind, ' ' + ev.line);
    return li;
  });
  $('events').replaceChildren(...items);
}

function addStats(stats) {
  push(state.rate, stats.writesPerSecond || 0);
  push(state.latency, stats.meanLatencyMs || 0);
  $('rate-now').textContent = Math.round(stats.writesPerSecond || 0);
  $('latency-now').textContent = stats.meanLatencyMs === null ? '–' : stats.meanLatencyMs.toFixed(2);
  drawChart($('rate-chart'), state.rate);
  drawChart($('latency-chart'), state.latency);
}

function push(series, value) {
  series.push(value);
  if (series.length > CHART_POINTS) {
    series.shift();
  }
}

function drawChart(svg, series) {
  const max = Math.max(1, ...series);
  const points = series.map((v, i) => (i * 300 / (CHART_POINTS - 1)).toFixed(1) + ',' + (58 - v * 56 / max).toFixed(1));
  const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
  line.setAttribute('points', points.join(' '));
  svg.replaceChildren(line);
}

// ------------------------------------------------------------------ keys

function showResult(text, bad) {
  $('result').textContent = text;
  $('result').className = bad ? 'bad' : '';
}

async function kv(method, path, body, version) {
  if (!state.primaryUrl) {
    showResult('no primary right now: try again in a moment', true);
    return null;
  }
  const headers = {};
  if (version) {
    headers['If-Match'] = '"' + version + '"';
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'text/plain;charset=UTF-8';
  }
  try {
    const response = await fetch(state.primaryUrl + path, { method, headers, body, cache: 'no-store' });
    const json = await response.json();
    if (!response.ok) {
      showResult(response.status + ' ' + (json.title || '') + ': ' + (json.detail || ''), true);
      return null;
    }
    return json;
  } catch (e) {
    showResult('the primary did not answer (' + e.message + '): the console is looking for the new one', true);
    return null;
  }
}

function keyPath(key) {
  return '/kv/' + encodeURIComponent(key);
}

async function putKey(event) {
  event.preventDefault();
  const key = $('put-key').value;
  const json = await kv('PUT', keyPath(key), $('put-value').value, $('put-version').value.trim());
  if (json) {
    showResult('put ' + json.key + ' = ' + JSON.stringify(json.value) + ', version ' + json.version);
    $('put-version').value = json.version;
  }
}

async function getKey() {
  const key = $('put-key').value;
  const json = await kv('GET', keyPath(key));
  if (json) {
    $('put-value').value = json.value;
    $('put-version').value = json.version;
    showResult('get ' + json.key + ' = ' + JSON.stringify(json.value) + ', version ' + json.version);
  }
}

async function deleteKey(key, version) {
  const json = await kv('DELETE', keyPath(key), undefined, version);
  if (json) {
    showResult('deleted ' + key);
  }
}

async function listKeys(event) {
  if (event) {
    event.preventDefault();
  }
  const json = await kv('GET', '/kv?limit=100&prefix=' + encodeURIComponent($('list-prefix').value));
  if (!json) {
    return;
  }
  const rows = json.entries.map((e) => {
    const tr = document.createElement('tr');
    const actions = document.createElement('td');
    const edit = document.createElement('button');
    edit.type = 'button';
    edit.textContent = 'Edit';
    edit.setAttribute('aria-label', 'edit ' + e.key);
    edit.addEventListener('click', () => {
      $('put-key').value = e.key;
      $('put-value').value = e.value;
      $('put-version').value = e.version;
      $('put-value').focus();
    });
    const del = document.createElement('button');
    del.type = 'button';
    del.textContent = 'Delete';
    del.setAttribute('aria-label', 'delete ' + e.key + ' if still version ' + e.version);
    del.addEventListener('click', async () => {
      await deleteKey(e.key, e.version);
      listKeys();
    });
    actions.append(edit, ' ', del);
    tr.append(cell(e.key), cell(e.value, 'value'), cell(e.version), actions);
    return tr;
  });
  $('keys').tBodies[0].replaceChildren(...rows);
  if (json.truncated) {
    showResult('showing the first ' + json.count + ' keys: narrow the prefix for more');
  }
}

$('put-form').addEventListener('submit', putKey);
$('get-button').addEventListener('click', getKey);
$('delete-button').addEventListener('click', () => deleteKey($('put-key').value, $('put-version').value.trim()));
$('list-form').addEventListener('submit', listKeys);
poll();
