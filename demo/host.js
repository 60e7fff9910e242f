// The host console: a demo page that drives the drop through the host API
// (Authorization: Bearer <host token>) and watches it through the same public
// event stream the elements use. Routes: src/protocol/routes.ts.

const $ = (id) => document.getElementById(id);
const e = encodeURIComponent;

const config = await fetch('./demo-config.json')
  .then((res) => (res.ok ? res.json() : {}))
  .catch(() => ({}));
const params = new URLSearchParams(location.search);
const backend = (params.get('backend') ?? config.backend ?? 'http://localhost:8787').replace(/\/+$/, '');
const dropId = params.get('drop') ?? config.drop ?? 'demo';
let token = sessionStorage.getItem('live-drop-host-token') ?? config.hostToken ?? '';

$('token').value = token;
$('backend-hint').textContent = `Backend ${backend} · drop “${dropId}”. The token is printed by npm start.`;
$('auth').addEventListener('submit', (event) => {
  event.preventDefault();
  token = $('token').value.trim();
  sessionStorage.setItem('live-drop-host-token', token);
  toast('Token saved for this tab.');
  void refresh();
});

let drop = null;
let viewers = 0;

// ------------------------------------------------------------------ host API

async function host(method, path, body) {
  const res = await fetch(backend + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) {
    const problem = await res.json().catch(() => ({}));
    const message =
      res.status === 401 || res.status === 403
        ? 'The host token was not accepted.'
        : (problem.detail ?? problem.title ?? `HTTP ${res.status}`);
    toast(message, true);
    throw new Error(message);
  }
  return res.status === 204 ? null : res.json();
}

const hostRoutes = {
  start: () => `/v1/host/drops/${e(dropId)}/start`,
  end: () => `/v1/host/drops/${e(dropId)}/end`,
  feature: () => `/v1/host/drops/${e(dropId)}/feature`,
  stock: (p, v) => `/v1/host/drops/${e(dropId)}/products/${e(p)}/variants/${e(v)}/stock`,
  sales: () => `/v1/host/drops/${e(dropId)}/sales`,
  reservations: () => `/v1/host/drops/${e(dropId)}/reservations`,
  chatPost: () => `/v1/drops/${e(dropId)}/chat`,
  chat: () => `/v1/host/drops/${e(dropId)}/chat`,
  chatMessage: (id) => `/v1/host/drops/${e(dropId)}/chat/messages/${e(id)}`,
  chatMute: (authorId) => `/v1/host/drops/${e(dropId)}/chat/mutes/${e(authorId)}`,
  drop: () => `/v1/host/drops/${e(dropId)}`,
  linePause: () => `/v1/host/drops/${e(dropId)}/line/pause`,
  lineResume: () => `/v1/host/drops/${e(dropId)}/line/resume`,
};

// The waiting line (docs/fairness.md): added with its defaults (admission follows stock), paused and resumed here.
$('line-on').addEventListener('click', () =>
  host('PATCH', hostRoutes.drop(), { queue: {} }).then(() => toast('The drop has a waiting line: shoppers can join before the start.')),
);
$('line-pause').addEventListener('click', () =>
  host('POST', hostRoutes.linePause()).then((queue) => (drop.queue = queue) && (render(), toast('Admission paused.'))),
);
$('line-resume').addEventListener('click', () =>
  host('POST', hostRoutes.lineResume()).then((queue) => (drop.queue = queue) && (render(), toast('Admission resumed.'))),
);

$('start').addEventListener('click', () => host('POST', hostRoutes.start()).then(() => toast('The show is live.')));
$('end').addEventListener('click', () => {
  if (confirm('End the show? Shoppers can no longer reserve.'))
    void host('POST', hostRoutes.end()).then(() => toast('The show has ended.'));
});
$('unfeature').addEventListener('click', () => host('POST', hostRoutes.feature(), { productId: null }));

$('products').addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  if (button.dataset.feature) {
    const productId = button.dataset.feature;
    void host('POST', hostRoutes.feature(), { productId }).then(() => toast(`Featuring ${titleOf(productId)}.`));
  } else if (button.dataset.step) {
    const input = button.parentElement.querySelector('input');
    input.value = String(Math.max(0, Number(input.value) + Number(button.dataset.step)));
    setStock(input);
  }
});
$('products').addEventListener('change', (event) => {
  if (event.target.matches('input[data-stock]')) setStock(event.target);
});

function setStock(input) {
  const [productId, variantId] = input.dataset.stock.split('/');
  const available = Math.max(0, Math.floor(Number(input.value) || 0));
  void host('PUT', hostRoutes.stock(productId, variantId), { available });
}

// ------------------------------------------------------------------ live state

const stream = new EventSource(`${backend}/v1/drops/${e(dropId)}/events`);
const on = (type, apply) =>
  stream.addEventListener(type, (message) => {
    apply(JSON.parse(message.data));
    log(type, message.data);
    render();
  });
stream.onopen = () => setConnection('live', 'Live');
stream.onerror = () => setConnection('down', 'Reconnecting…');
on('snapshot', (data) => (drop = data));
on('stock', ({ levels }) => {
  for (const level of levels) {
    const variant = drop?.products.find((p) => p.id === level.productId)?.variants.find((v) => v.id === level.variantId);
    if (variant) variant.available = level.available;
  }
});
on('featured', (featured) => drop && (drop.featured = featured.productId ? featured : null));
on('status', (status) => drop && Object.assign(drop, status));
on('viewers', ({ count }) => (viewers = count));
on('reactions', () => {});
// The chat: the snapshot's newest messages, then each `chat` event (new messages, removals, settings).
stream.addEventListener('snapshot', (message) => {
  const { chat } = JSON.parse(message.data);
  if (!chat) return;
  chatMessages = chat.messages;
  chatSettings = chat.settings;
  renderChat();
});
on('chat', ({ messages, removed, settings }) => {
  chatMessages = [
    ...chatMessages.filter((m) => !removed.includes(m.id)),
    ...messages.filter((m) => !chatMessages.some((c) => c.id === m.id)),
  ].slice(-100);
  if (settings) chatSettings = settings;
  renderChat();
});
on('line', (line) => drop?.queue && Object.assign(drop.queue, line));

function setConnection(state, text) {
  $('connection').dataset.state = state;
  $('connection').textContent = text;
}

const titleOf = (productId) => drop?.products.find((p) => p.id === productId)?.title ?? productId;
const money = (m) => new Intl.NumberFormat('en', { style: 'currency', currency: m.currency }).format(m.amount / 100);
const time = (ms) => new Date(ms).toLocaleTimeString('en', { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function render() {
  if (!drop) return;
  const status = $('status');
  status.dataset.status = drop.status;
  status.textContent = { scheduled: 'Scheduled', live: 'Live', ended: 'Ended' }[drop.status];
  $('start').disabled = drop.status !== 'scheduled';
  $('end').disabled = drop.status === 'ended';
  $('viewers').textContent = String(viewers);
  $('unfeature').disabled = !drop.featured;
  renderLine();
  renderProducts();
}

function renderLine() {
  const queue = drop.queue ?? null;
  const status = $('line-status');
  status.dataset.status = !queue ? 'scheduled' : queue.paused ? 'ended' : queue.drawnAt ? 'live' : 'scheduled';
  status.textContent = !queue ? 'Off' : queue.paused ? 'Paused' : queue.drawnAt ? 'Admitting' : 'Open to join';
  $('line-on').hidden = !!queue;
  $('line-pause').hidden = $('line-resume').hidden = !queue;
  $('line-pause').disabled = !queue || queue.paused;
  $('line-resume').disabled = !queue || !queue.paused;
  $('line-total').textContent = queue ? queue.total.toLocaleString('en') : '0';
  $('line-admitted').textContent = queue ? queue.admittedThrough.toLocaleString('en') : '0';
  $('line-rate').textContent = queue ? `${queue.rate}/s` : '—';
  $('line-mode').textContent = !queue
    ? 'Shoppers join before the start and are drawn into a random order; anyone can verify the draw.'
    : queue.admitPerSecond === null
      ? 'Admission follows stock: one open pass per unit on sale.'
      : `Admission at ${queue.admitPerSecond} shoppers a second.`;
  $('line-commitment').textContent = queue?.commitment ?? '—';
  $('line-seed').textContent = queue?.seed ?? 'not revealed until the draw';
  $('line-verify').textContent = queue?.seed ? `Anyone can check the draw: npm run verify-draw -- ${backend} ${dropId}` : '';
}

function renderProducts() {
  const list = $('products');
  // Keep what the host is typing across live updates.
  const focused = document.activeElement?.dataset?.stock;
  const typed = focused ? document.activeElement.value : '';
  list.replaceChildren(
    ...drop.products.map((product) => {
      const featured = drop.featured?.productId === product.id;
      const item = document.createElement('article');
      item.className = 'product-row';
      item.dataset.featured = String(featured);
      const img = document.createElement('img');
      img.alt = '';
      if (product.images[0]) img.src = new URL(product.images[0].url, `${backend}/`).href;
      const head = document.createElement('div');
      head.className = 'product-head';
      const title = document.createElement('h3');
      title.textContent = product.title;
      const price = document.createElement('span');
      price.className = 'hint';
      price.textContent = product.prices.map(money).join(' · ');
      const feature = document.createElement('button');
      feature.type = 'button';
      feature.className = featured ? 'btn primary' : 'btn';
      feature.dataset.feature = product.id;
      feature.setAttribute('aria-pressed', String(featured));
      feature.textContent = featured ? 'On air' : 'Feature';
      head.append(title, price, feature);
      const variants = document.createElement('div');
      variants.className = 'variants';
      for (const v of product.variants) {
        const cell = document.createElement('div');
        cell.className = 'variant';
        cell.dataset.soldOut = String(v.available === 0);
        cell.innerHTML = `<span class="size"></span>
          <button type="button" class="step" data-step="-1" aria-label="one less">−</button>
          <input type="number" min="0" inputmode="numeric" />
          <button type="button" class="step" data-step="1" aria-label="one more">+</button>`;
        cell.querySelector('.size').textContent = v.label;
        const input = cell.querySelector('input');
        input.value = String(v.available);
        input.dataset.stock = `${product.id}/${v.id}`;
        input.setAttribute('aria-label', `${product.title}, size ${v.label}, available`);
        variants.append(cell);
      }
      const body = document.createElement('div');
      body.append(head, variants);
      item.append(img, body);
      return item;
    }),
  );
  const input = focused && list.querySelector(`input[data-stock="${CSS.escape(focused)}"]`);
  if (input) {
    input.value = typed;
    input.focus();
  }
}

function log(type, data) {
  const li = document.createElement('li');
  const when = document.createElement('time');
  when.textContent = time(Date.now());
  const kind = document.createElement('b');
  kind.textContent = type;
  const text = document.createElement('code');
  text.textContent = type === 'snapshot' ? `${drop?.products.length ?? 0} products, ${drop?.status}` : data;
  li.append(when, kind, text);
  $('log').prepend(li);
  while ($('log').children.length > 40) $('log').lastElementChild.remove();
}

// ------------------------------------------------------------------ chat

let chatMessages = [];
let chatSettings = { enabled: true, slowModeSeconds: 0, pinned: null };
let muted = [];

$('chat-post').addEventListener('submit', (event) => {
  event.preventDefault();
  const text = $('chat-text').value.trim();
  if (!text) return;
  void host('POST', hostRoutes.chatPost(), { text }).then(() => ($('chat-text').value = ''));
});
$('chat-enabled').addEventListener('change', (event) =>
  host('PATCH', hostRoutes.chat(), { enabled: event.target.checked }).then(() =>
    toast(event.target.checked ? 'Chat is on.' : 'Chat is off.'),
  ),
);
// While the host is editing the settings, chat events must not put the saved values back into the fields (a message
// arriving between typing the slow mode and the blocked terms would undo the first edit).
let settingsEdited = false;
$('chat-settings').addEventListener('input', () => (settingsEdited = true));
$('chat-settings').addEventListener('submit', (event) => {
  event.preventDefault();
  settingsEdited = false;
  const slowModeSeconds = Math.max(0, Math.min(3600, Math.floor(Number($('chat-slow').value) || 0)));
  const blockedTerms = $('chat-terms')
    .value.split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  void host('PATCH', hostRoutes.chat(), { slowModeSeconds, blockedTerms }).then(() => toast('Chat settings saved.'));
});
$('chat-log').addEventListener('click', (event) => {
  const button = event.target.closest('button');
  if (!button) return;
  const { action, id, author } = button.dataset;
  if (action === 'remove') void host('DELETE', hostRoutes.chatMessage(id)).then(() => toast('Message removed.'));
  if (action === 'pin') void host('PATCH', hostRoutes.chat(), { pinnedMessageId: chatSettings.pinned?.id === id ? null : id });
  if (action === 'mute') {
    const on = !muted.includes(author);
    void host(on ? 'PUT' : 'DELETE', hostRoutes.chatMute(author)).then(() => {
      muted = on ? [...muted, author] : muted.filter((a) => a !== author);
      toast(on ? 'Muted: their messages no longer reach the others.' : 'Unmuted.');
      renderChat();
    });
  }
});

function renderChat() {
  $('chat-enabled').checked = chatSettings.enabled;
  if (!settingsEdited) $('chat-slow').value = String(chatSettings.slowModeSeconds);
  const pinned = $('chat-pinned');
  pinned.hidden = !chatSettings.pinned;
  pinned.textContent = chatSettings.pinned ? `Pinned · ${chatSettings.pinned.author.name}: ${chatSettings.pinned.text}` : '';
  $('chat-muted').textContent = muted.length ? `${muted.length} muted` : '';
  const list = $('chat-log');
  const atEnd = list.scrollHeight - list.scrollTop - list.clientHeight < 32;
  list.replaceChildren(
    ...chatMessages.map((m) => {
      const li = document.createElement('div');
      li.className = 'chat-item';
      li.dataset.id = m.id;
      const who = document.createElement('b');
      who.textContent =
        m.author.mark === 'host' ? `${m.author.name} · host` : m.author.mark === 'verified' ? `${m.author.name} ✓` : m.author.name;
      const text = document.createElement('span');
      text.textContent = m.text;
      const actions = document.createElement('span');
      actions.className = 'actions';
      const button = (action, label, pressed) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'btn ghost small';
        Object.assign(b.dataset, { action, id: m.id, author: m.author.id });
        b.textContent = label;
        if (pressed !== undefined) b.setAttribute('aria-pressed', String(pressed));
        b.setAttribute('aria-label', `${label}: ${m.author.name}: ${m.text}`);
        return b;
      };
      actions.append(
        button('pin', chatSettings.pinned?.id === m.id ? 'Unpin' : 'Pin', chatSettings.pinned?.id === m.id),
        button('remove', 'Remove'),
      );
      if (m.author.mark !== 'host')
        actions.append(button('mute', muted.includes(m.author.id) ? 'Unmute' : 'Mute', muted.includes(m.author.id)));
      li.append(who, text, actions);
      return li;
    }),
  );
  if (atEnd) list.scrollTop = list.scrollHeight;
}

// ------------------------------------------------------------------ polled host data

async function refresh() {
  if (!token) return;
  try {
    const [reservations, sales, chat] = await Promise.all([
      host('GET', hostRoutes.reservations()),
      host('GET', hostRoutes.sales()),
      host('GET', hostRoutes.chat()),
    ]);
    muted = chat.muted;
    if (!settingsEdited) $('chat-terms').value = chat.blockedTerms.join(', ');
    renderChat();
    renderReservations(reservations);
    $('held').textContent = String(sales.variants.reduce((n, v) => n + v.held, 0));
    $('sold').textContent = String(sales.variants.reduce((n, v) => n + v.sold, 0));
    $('revenue').textContent = sales.revenue.length ? sales.revenue.map(money).join(' · ') : '—';
  } catch {
    // host() already said what went wrong
  }
}

function renderReservations(reservations) {
  $('no-reservations').hidden = reservations.length > 0;
  $('reservation-rows').replaceChildren(
    ...reservations.slice(0, 50).map((r) => {
      const tr = document.createElement('tr');
      tr.dataset.status = r.status;
      const size = drop?.products.find((p) => p.id === r.productId)?.variants.find((v) => v.id === r.variantId)?.label ?? r.variantId;
      for (const text of [time(r.createdAt), titleOf(r.productId), size, String(r.quantity), r.status]) {
        const td = document.createElement('td');
        td.textContent = text;
        tr.append(td);
      }
      return tr;
    }),
  );
}

setInterval(() => {
  if (drop) {
    const ms = drop.status === 'scheduled' ? drop.startsAt - Date.now() : Date.now() - drop.startsAt;
    const s = Math.max(0, Math.floor(ms / 1000));
    const clock = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
    $('show-clock').textContent =
      drop.status === 'scheduled'
        ? `Starts in ${clock}`
        : drop.status === 'live'
          ? `On air for ${clock}`
          : `Ended ${time(drop.endsAt ?? Date.now())}`;
  }
}, 500);
setInterval(refresh, 2000);
void refresh();

let toastTimer;
function toast(message, error = false) {
  const el = $('toast');
  el.textContent = message;
  el.dataset.error = String(error);
  el.dataset.show = '';
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => delete el.dataset.show, 3200);
}
