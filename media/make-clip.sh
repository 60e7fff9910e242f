#!/bin/sh
# Reproduces media/clip/: the 8 s loop the reference server plays as its
# simulated live stream, cut for Low-Latency HLS. One fragmented MP4 (CMAF)
# file, clip.mp4: 640x360 H.264 (no B-frames, a key frame every second) +
# AAC tone, in fragments of 10 frames (1/3 s), the parts; clip.m3u8 lists
# them as byte ranges, 6 parts to a 2 s segment (scripts/cmaf-parts.ts).
# And a WebVTT line per segment (make-captions.sh). Needs ffmpeg with
# libx264 and drawtext, and node with the repository's dependencies.
#   sh media/make-clip.sh
set -eu
cd "$(dirname "$0")"
rm -rf clip && mkdir clip
FONT=${FONT:-$(fc-match -f '%{file}' 'DejaVu Sans Mono:bold' 2>/dev/null || echo /usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf)}
FPS=30
SEG=2
PART_FRAMES=10
KEY=1
LEN=8
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "gradients=s=640x360:r=$FPS:c0=0xff3d6e:c1=0x6a3dff:c2=0x00c2ff:c3=0xffb03d:nb_colors=4:speed=0.03:duration=$LEN" \
  -f lavfi -i "sine=frequency=440:beep_factor=2:sample_rate=48000:duration=$LEN" \
  -filter_complex "[0:v]drawbox=x=0:y=ih-64:w=iw:h=64:color=black@0.35:t=fill,\
drawtext=fontfile=$FONT:text='live-drop · simulated stream':x=24:y=h-44:fontsize=16:fontcolor=white,\
drawtext=fontfile=$FONT:text='frame %{eif\:n\:d\:4}  t=%{pts\:hms}':x=w-tw-24:y=h-44:fontsize=16:fontcolor=white,\
drawtext=fontfile=$FONT:text='%{eif\:trunc(t/$SEG)\:d}':x=(w-tw)/2:y=(h-th)/2-20:fontsize=120:fontcolor=white@0.9:borderw=4:bordercolor=black@0.3[v];\
[1:a]volume=0.25[a]" \
  -map "[v]" -map "[a]" \
  -c:v libx264 -preset veryslow -profile:v main -level 3.1 -pix_fmt yuv420p -crf 30 -maxrate 700k -bufsize 1400k -bf 0 \
  -g $((FPS * KEY)) -keyint_min $((FPS * KEY)) -sc_threshold 0 -force_key_frames "expr:gte(t,n_forced*$KEY)" \
  -c:a aac -b:a 64k -ac 2 \
  -f mp4 -movflags +empty_moov+default_base_moof+cmaf -frag_duration $((PART_FRAMES * 1000000 / FPS - 1000)) clip/clip.mp4
# Every 6 parts (2 s) make a segment.
(cd .. && node --import tsx scripts/cmaf-parts.ts media/clip/clip.mp4 $((FPS * SEG / PART_FRAMES))) > clip/clip.m3u8
ls -l clip
# The poster: the same gradient without the burnt-in text, served as stream/poster.jpg.
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i "gradients=s=1280x720:r=$FPS:c0=0xff3d6e:c1=0x6a3dff:c2=0x00c2ff:c3=0xffb03d:nb_colors=4:speed=0.03:duration=$LEN" \
  -ss 2.5 -frames:v 1 -q:v 5 clip/poster.jpg
ls -l clip/poster.jpg
# The captions rendition: a WebVTT host line per segment, timed to the segments' PTS.
sh ./make-captions.sh
