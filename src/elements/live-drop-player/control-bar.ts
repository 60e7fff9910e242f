/**
 * The player's control bar: play, mute, volume, the replay's progress,
 * captions, picture-in-picture and fullscreen. Each control asks the media
 * controller, which owns the video's state; none touches the video itself.
 */
import { html, nothing } from 'lit';
import { formatClock } from '../../i18n/format.js';
import type { PlayerStringKey } from '../../i18n/player-strings.js';
import { icons } from './icons.js';
import type { MediaController } from './media-controller.js';

/** `seekable`: the show has ended, so its replay gets a progress slider. */
export function controlBar(media: MediaController, t: (key: PlayerStringKey) => string, seekable: boolean) {
  const canPip = document.pictureInPictureEnabled && !media.playback?.video.disablePictureInPicture;
  const clock = `${formatClock(media.time * 1000)} / ${formatClock(media.duration * 1000)}`;
  return html`<div class="controls" part="controls">
    <button part="button" @click=${media.togglePlay} aria-label=${media.paused ? t('play') : t('pause')}>
      ${media.paused ? icons.play : icons.pause}
    </button>
    <button part="button" @click=${media.toggleMute} aria-label=${media.muted ? t('unmute') : t('mute')}>
      ${media.muted ? icons.muted : icons.volume}
    </button>
    <input
      part="volume"
      class="volume"
      type="range"
      min="0"
      max="1"
      step="0.05"
      .value=${String(media.muted ? 0 : media.volume)}
      aria-label=${t('volume')}
      @input=${media.onVolumeInput}
    />
    ${
      seekable && media.duration > 0
        ? html`<input
            part="progress"
            class="progress"
            type="range"
            min="0"
            max=${media.duration}
            step="0.1"
            .value=${String(media.time)}
            aria-label=${t('seek')}
            aria-valuetext=${clock}
            @input=${media.onSeekInput}
          /><span class="clock" aria-hidden="true">${clock}</span>`
        : html`<span class="spacer"></span>`
    }
    ${
      media.hasCaptions
        ? html`<button part="button" @click=${media.toggleCaptions} aria-label=${t('captions')} aria-pressed=${media.captionsOn ? 'true' : 'false'}>
          ${icons.captions}
        </button>`
        : nothing
    }
    ${
      canPip
        ? html`<button part="button" @click=${media.togglePip} aria-label=${t('pip')} aria-pressed=${media.pip ? 'true' : 'false'}>${icons.pip}</button>`
        : nothing
    }
    ${
      document.fullscreenEnabled
        ? html`<button part="button" @click=${media.toggleFullscreen} aria-label=${media.fullscreen ? t('exitFullscreen') : t('fullscreen')}>
          ${media.fullscreen ? icons.exitFullscreen : icons.fullscreen}
        </button>`
        : nothing
    }
  </div>`;
}
