// @ts-check
// The scan field. Hardware scanners on handhelds and USB scanners at packing
// stations act as a keyboard: they type the code quickly and press Enter (some
// are set up to press Tab). So the field must hold the focus whenever it is
// on screen, and Enter or Tab hands the code over and clears the field.
//
// The field starts with inputmode="none", which keeps the on-screen keyboard
// from covering half of a handheld's screen while key events from the
// scanner still arrive; the keyboard button brings the keyboard up for a
// label that will not scan.

// A wedge scanner whose trigger bounces, or that reads one label twice,
// types the same code again within a few tens of milliseconds; no person
// scans the same item twice that fast, so the repeat is dropped. The server
// does the same for the scanners it reads itself.
const DOUBLE_TRIGGER_MS = 300;

/**
 * @param {HTMLFormElement} form the form around the field
 * @param {HTMLInputElement} input
 * @param {(code: string) => void} onScan
 * @param {HTMLButtonElement} [keyboard] toggles the on-screen keyboard
 * @param {() => boolean} [acceptEmpty] whether Enter on an empty field is an
 *   answer just now (to skip an optional step); otherwise it is ignored
 */
export function attachScanner(form, input, onScan, keyboard, acceptEmpty) {
  let last = { code: '', at: -Infinity };
  const submit = () => {
    const code = clean(input.value);
    input.value = '';
    const now = performance.now();
    if (code && code === last.code && now - last.at < DOUBLE_TRIGGER_MS) return;
    if (code) last = { code, at: now };
    if (code || acceptEmpty?.()) onScan(code);
  };
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (ev) => {
    if (ev.key === 'Tab' && input.value !== '') {
      ev.preventDefault();
      submit();
      return;
    }
    const sep = separator(ev);
    if (sep) {
      ev.preventDefault();
      input.setRangeText(sep, input.selectionStart ?? input.value.length,
        input.selectionEnd ?? input.value.length, 'end');
    }
  });

  keyboard?.addEventListener('click', () => {
    const typing = input.inputMode !== 'none';
    input.inputMode = typing ? 'none' : 'text';
    keyboard.setAttribute('aria-pressed', String(!typing));
    input.blur();
    input.focus();
  });

  const refocus = () => window.setTimeout(() => keepFocus(input), 0);
  input.addEventListener('blur', refocus);
  document.addEventListener('pointerup', refocus);
  document.addEventListener('visibilitychange', refocus);
  window.addEventListener('focus', refocus);
  // Some handheld browsers move the focus without any of the events above.
  window.setInterval(() => keepFocus(input), 1000);
}

/**
 * Gives the field the focus unless it is hidden or the user is typing in
 * another field.
 * @param {HTMLInputElement} input
 */
export function keepFocus(input) {
  if (document.visibilityState !== 'visible' || input.closest('[hidden]')) return;
  const active = document.activeElement;
  if (active === input) return;
  if (active instanceof HTMLInputElement || active instanceof HTMLTextAreaElement ||
      active instanceof HTMLSelectElement) return;
  input.focus({ preventScroll: true });
}

/**
 * Returns the separator a wedge scanner types as a control key, or ''. GS1
 * barcodes need GS (0x1D) between fields, and keyboard-wedge scanners send it
 * as Ctrl+] (HID usage 0x30 with Ctrl); ISO 15434 data on courier labels also
 * uses RS, sent as Ctrl+^ (Ctrl+Shift+6). A browser types neither, so the
 * field inserts them itself and the server reads the fields apart.
 * @param {KeyboardEvent} ev
 * @returns {string}
 */
function separator(ev) {
  if (!ev.ctrlKey || ev.altKey || ev.metaKey) return '';
  if (ev.code === 'BracketRight' || ev.key === ']') return '\x1d';
  if ((ev.code === 'Digit6' && ev.shiftKey) || ev.key === '^') return '\x1e';
  return '';
}

/**
 * Strips what a scanner may add around a code: spaces, line ends and other
 * control characters. The server normalises the rest.
 * @param {string} raw
 * @returns {string}
 */
function clean(raw) {
  return raw.replace(/^[\s\p{Cc}]+|[\s\p{Cc}]+$/gu, '');
}
