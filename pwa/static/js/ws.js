// @ts-check
// The page's one websocket to the Shipshape server.
//
// Every command carries a fresh id. The server records the ids it has
// applied, which is what makes it safe to send a command again: a command
// sent while the socket was down waits in an outbox and goes out on
// reconnect, and one that was sent but not answered before the socket
// dropped goes out again with the same id. A command that finds no answer
// within REPLY_TIMEOUT_MS is given up and reported through onTimeout, so the
// worker is never left guessing whether a scan counted.

/** @typedef {'connecting' | 'open' | 'closed'} LinkState */

/**
 * A command to the server: its type, its id and its own fields.
 * @typedef {{type: string, id: string} & Record<string, unknown>} Command
 */

/**
 * @typedef {object} LinkHandlers
 * @property {(msg: any) => void} onMessage every message from the server, parsed
 * @property {(state: LinkState, retryInMs: number) => void} [onState]
 * @property {(cmd: Command, sent: boolean) => void} [onTimeout] a command got no
 *   answer in time; sent tells whether it ever reached the socket
 */

/**
 * @typedef {object} Pending
 * @property {Command} cmd
 * @property {boolean} awaitReply whether an answer carrying cmd_id is expected
 * @property {boolean} sent whether it was written to a socket at least once
 * @property {number} timer
 */

const REPLY_TIMEOUT_MS = 10000;
const CONNECT_TIMEOUT_MS = 10000;
const MIN_RETRY_MS = 500;
const MAX_RETRY_MS = 15000;

export class Link {
  /** @type {string} */ #url;
  /** @type {LinkHandlers} */ #handlers;
  /** @type {WebSocket | null} */ #ws = null;
  /** @type {Pending[]} */ #outbox = [];
  /** @type {Map<string, Pending>} */ #pending = new Map();
  #attempt = 0;
  #retryTimer = 0;
  #connectTimer = 0;
  #stopped = true;
  #wake = () => this.#wakeUp();

  /**
   * @param {string} path the websocket path on this host, with its query
   * @param {LinkHandlers} handlers
   */
  constructor(path, handlers) {
    this.#url = socketURL(path);
    this.#handlers = handlers;
  }

  /** Opens the socket and keeps it open until stop. */
  start() {
    this.#stopped = false;
    window.addEventListener('online', this.#wake);
    document.addEventListener('visibilitychange', this.#wake);
    this.#open();
  }

  /** Closes the socket for good and forgets every unanswered command. */
  stop() {
    this.#stopped = true;
    window.removeEventListener('online', this.#wake);
    document.removeEventListener('visibilitychange', this.#wake);
    window.clearTimeout(this.#retryTimer);
    this.#drop();
    for (const p of this.#pending.values()) window.clearTimeout(p.timer);
    this.#pending.clear();
    this.#outbox = [];
  }

  /**
   * Sends a command now, or as soon as the socket is open.
   * @param {string} type
   * @param {Record<string, unknown>} [fields]
   * @param {{awaitReply?: boolean}} [options] awaitReply: the server answers
   *   with a message whose cmd_id is this command's id (a scan's verdict)
   * @returns {string} the command's id
   */
  send(type, fields = {}, { awaitReply = false } = {}) {
    const cmd = { ...fields, type, id: newId() };
    /** @type {Pending} */
    const p = { cmd, awaitReply, sent: false, timer: 0 };
    p.timer = window.setTimeout(() => this.#expire(p), REPLY_TIMEOUT_MS);
    this.#pending.set(cmd.id, p);

    if (this.#ws && this.#ws.readyState === WebSocket.OPEN) {
      this.#transmit(this.#ws, p);
    } else {
      this.#outbox.push(p);
    }
    return cmd.id;
  }

  #open() {
    window.clearTimeout(this.#retryTimer);
    const ws = new WebSocket(this.#url);
    this.#ws = ws;
    this.#report('connecting', 0);

    // A connect to a handheld's lost access point can hang for minutes.
    this.#connectTimer = window.setTimeout(() => {
      if (ws === this.#ws && ws.readyState === WebSocket.CONNECTING) this.#lost();
    }, CONNECT_TIMEOUT_MS);

    ws.onopen = () => {
      if (ws !== this.#ws) return;
      window.clearTimeout(this.#connectTimer);
      this.#attempt = 0;
      this.#report('open', 0);
      const queued = this.#outbox;
      this.#outbox = [];
      for (const p of queued) this.#transmit(ws, p);
    };
    ws.onmessage = (ev) => {
      if (ws === this.#ws) this.#receive(ev.data);
    };
    ws.onclose = () => {
      if (ws === this.#ws) this.#lost();
    };
  }

  /**
   * @param {WebSocket} ws
   * @param {Pending} p
   */
  #transmit(ws, p) {
    ws.send(JSON.stringify(p.cmd));
    p.sent = true;
    if (!p.awaitReply) this.#settle(p.cmd.id);
  }

  /** @param {unknown} data */
  #receive(data) {
    let msg;
    try {
      msg = JSON.parse(String(data));
    } catch (err) {
      console.warn('shipshape: message is not JSON', err);
      return;
    }
    if (typeof msg !== 'object' || msg === null) return;
    if (typeof msg.cmd_id === 'string') this.#settle(msg.cmd_id);
    this.#handlers.onMessage(msg);
  }

  /** @param {string} id */
  #settle(id) {
    const p = this.#pending.get(id);
    if (!p) return;
    window.clearTimeout(p.timer);
    this.#pending.delete(id);
  }

  /** @param {Pending} p */
  #expire(p) {
    this.#pending.delete(p.cmd.id);
    this.#outbox = this.#outbox.filter((q) => q !== p);
    this.#handlers.onTimeout?.(p.cmd, p.sent);

    // No answer on a socket that looks open: after a change of access point
    // it can be dead without knowing it, so start afresh.
    if (p.sent && this.#ws && this.#ws.readyState === WebSocket.OPEN) this.#lost();
  }

  /** Drops the current socket and schedules the next attempt. */
  #lost() {
    this.#drop();
    if (this.#stopped) return;

    // Every command still pending is unanswered; all go out again, in order.
    this.#outbox = Array.from(this.#pending.values());

    const base = Math.min(MAX_RETRY_MS, MIN_RETRY_MS * 2 ** this.#attempt);
    const delay = Math.round(base * (0.75 + Math.random() * 0.5));
    this.#attempt++;
    this.#report('closed', delay);
    this.#retryTimer = window.setTimeout(() => this.#open(), delay);
  }

  #drop() {
    window.clearTimeout(this.#connectTimer);
    const ws = this.#ws;
    this.#ws = null;
    if (!ws) return;
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close();
  }

  /** Retries at once when the network or the page comes back. */
  #wakeUp() {
    if (this.#stopped || this.#ws || document.visibilityState !== 'visible') return;
    this.#attempt = 0;
    this.#open();
  }

  /**
   * @param {LinkState} state
   * @param {number} retryInMs
   */
  #report(state, retryInMs) {
    this.#handlers.onState?.(state, retryInMs);
  }
}

/**
 * The websocket URL for a path on the page's own host.
 * @param {string} path
 * @returns {string}
 */
export function socketURL(path) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${path}`;
}

/**
 * A random (version 4) UUID. crypto.randomUUID exists only in secure
 * contexts, and a warehouse server on plain HTTP at a LAN address is not one,
 * so fall back to getRandomValues, which exists everywhere.
 * @returns {string}
 */
export function newId() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();

  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)]
    .join('-');
}
