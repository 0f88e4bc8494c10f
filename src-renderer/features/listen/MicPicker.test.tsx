// "Listen with", rendered to HTML with the store bound: the computer's own sound is offered where this window can
// have it (and its note says what to expect), and where not the note says why in plain words; Linux's monitor
// inputs are named as the computer's sound; a remembered choice that is not available here stays listed as such.
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it } from 'vitest';
import { createBoundTestStore, htmlText, type createTestStore } from '../../store/testDeps';
import type { SystemAudioAvailability } from '../../store/types';
import { MicPicker } from './MicPicker';
import { SYSTEM_AUDIO_INPUT_ID } from './systemAudio';

let store: ReturnType<typeof createTestStore>['store'];
beforeEach(() => {
  ({ store } = createBoundTestStore());
});

const INPUTS = [
  { deviceId: 'default-mic', label: 'Built-in microphone' },
  { deviceId: 'monitor', label: 'Monitor of Built-in Audio Analog Stereo' },
];

function render(systemAudio: SystemAudioAvailability | null, inputs = INPUTS): { html: string; text: string; options: string[] } {
  store.setState({ micInputs: inputs, systemAudio });
  const html = renderToStaticMarkup(<MicPicker />);
  const options = [...html.matchAll(/<option[^>]*>([^<]*)<\/option>/g)].map((m) => htmlText(m[1]).trim());
  return { html, text: htmlText(html), options };
}

describe('Listen with', () => {
  it('offers the computer’s own sound in the desktop app where the system has loopback, and names monitors', () => {
    const { html, text, options } = render('loopback');
    expect(options).toEqual([
      "The system's default input",
      "This computer's sound",
      'Built-in microphone',
      "Computer's sound (monitor of Built-in Audio Analog Stereo)",
    ]);
    expect(html).toContain(`value="${SYSTEM_AUDIO_INPUT_ID}"`);
    expect(text).toContain('only the sound is used, never the picture');
  });

  it('in Chromium, offers it through the share dialog and says to keep the tab’s sound on', () => {
    const { options, text } = render('share-dialog');
    expect(options).toContain("This computer's sound");
    expect(text).toContain('Share tab audio');
  });

  it('says plainly why not: macOS before 13, or a window that cannot (pointing at monitors or a microphone)', () => {
    const mac = render('macos-too-old', [INPUTS[0]]);
    expect(mac.options).not.toContain("This computer's sound");
    expect(mac.text).toContain('needs macOS 13 or later');
    const none = render('unsupported', [INPUTS[0]]);
    expect(none.options).not.toContain("This computer's sound");
    expect(none.text).toContain("This window cannot record the computer's own sound");
    expect(none.text).toContain('Firefox and Safari cannot');
  });

  it('on Linux without loopback of its own, the monitor input is the way, and the note says so instead', () => {
    const { options, text } = render('unsupported');
    expect(options).toContain("Computer's sound (monitor of Built-in Audio Analog Stereo)");
    expect(text).not.toContain('This window cannot record');
    expect(text).toContain('monitor of');
    // Before the window was asked, and with no monitor input, there is nothing to say yet.
    const unasked = render(null, [INPUTS[0]]);
    expect(unasked.html).not.toContain('mic-help');
    expect(unasked.options).not.toContain("This computer's sound");
  });

  it('keeps a remembered choice selected, and lists the computer’s sound as not available where it is not', () => {
    store.getState().setMicDeviceId(SYSTEM_AUDIO_INPUT_ID);
    const here = render('loopback');
    expect(here.html).toMatch(new RegExp(`<select[^>]*>`));
    expect(here.options.filter((o) => o.startsWith("This computer's sound"))).toEqual(["This computer's sound"]);
    // Before the window was asked, it stays listed as chosen.
    expect(render(null, [INPUTS[0]]).options).toContain("This computer's sound");
    const elsewhere = render('unsupported', [INPUTS[0]]);
    expect(elsewhere.options).toContain("This computer's sound (not available here)");
    store.getState().setMicDeviceId('gone-usb-mic');
    expect(render('loopback').options).toContain('The input chosen before (not connected now)');
  });
});
