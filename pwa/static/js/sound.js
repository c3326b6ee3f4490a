// @ts-check
// Audible and haptic feedback for a scan, made with the Web Audio API so that
// no sound files are needed: a short high beep when the server accepts a
// scan and a longer, lower square-wave buzz when it does not. The two differ
// in pitch, length and timbre so that they are told apart on a noisy floor.

/** @type {AudioContext | null} */
let ctx = null;

/**
 * Creates or resumes the audio context. Browsers keep audio muted until the
 * user has interacted with the page; a key press from a scanner counts, so
 * listen for the first ones.
 */
export function unlockOnGesture() {
  const unlock = () => {
    try {
      ctx ??= new AudioContext();
      if (ctx.state === 'suspended') void ctx.resume();
    } catch (err) {
      console.warn('shipshape: no audio', err);
    }
  };
  for (const type of ['keydown', 'pointerdown']) {
    document.addEventListener(type, unlock, { capture: true });
  }
}

/** A short high beep, with a short buzz of the handheld. */
export function okBeep() {
  tone(1800, 0.09, 'sine', 0.35);
  navigator.vibrate?.(40);
}

/** A long low buzz, with a double buzz of the handheld. */
export function wrongBuzz() {
  tone(150, 0.6, 'square', 0.25);
  navigator.vibrate?.([200, 80, 200]);
}

/**
 * Plays one tone, ramping the volume in and out so it does not click.
 * @param {number} hz
 * @param {number} seconds
 * @param {OscillatorType} wave
 * @param {number} volume 0 to 1
 */
function tone(hz, seconds, wave, volume) {
  if (!ctx || ctx.state !== 'running') return;

  const t = ctx.currentTime;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = wave;
  osc.frequency.value = hz;
  gain.gain.setValueAtTime(0, t);
  gain.gain.linearRampToValueAtTime(volume, t + 0.005);
  gain.gain.setValueAtTime(volume, t + seconds - 0.01);
  gain.gain.linearRampToValueAtTime(0, t + seconds);

  osc.connect(gain).connect(ctx.destination);
  osc.start(t);
  osc.stop(t + seconds + 0.02);
}
