#!/bin/sh
# Writes the captions of media/clip/: one WebVTT file per video segment
# (captions-<i>.vtt, one host line each) and captions.m3u8 listing them.
# Each file maps its local time 0 to the first video time of segment <i>
# of clip.mp4 in 90 kHz units (X-TIMESTAMP-MAP): the video's start, read
# with ffprobe, plus i segments, so players place the line on the frames it
# belongs to. make-clip.sh runs this; run it alone after editing
# the lines. Needs ffprobe.
#   sh media/make-captions.sh
set -eu
cd "$(dirname "$0")/clip"
SEG=2
LINES='Welcome to the drop, live from the KAIRO studio.
Tonight: the Night Shift capsule, two hoodies and two tees.
Sizes are few, so reserve yours while you can.
Tap a product to see it up close.'

n=$(grep -c '^#EXTINF:' clip.m3u8)
start=$(ffprobe -v error -select_streams v:0 -show_entries stream=start_time -of csv=p=0 clip.mp4 | head -n 1)
[ "$n" -eq "$(printf '%s\n' "$LINES" | wc -l)" ] || { echo "need one line per segment ($n)" >&2; exit 1; }

printf '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:%s\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n' "$SEG" > captions.m3u8
i=0
printf '%s\n' "$LINES" | while IFS= read -r line; do
  pts=$(awk -v s="$start" -v i="$i" -v d="$SEG" 'BEGIN { printf "%d", (s + i * d) * 90000 + 0.5 }')
  printf 'WEBVTT\nX-TIMESTAMP-MAP=MPEGTS:%s,LOCAL:00:00:00.000\n\n00:00:00.000 --> 00:00:%02d.000\n%s\n' "$pts" "$SEG" "$line" > "captions-$i.vtt"
  printf '#EXTINF:%s.000000,\ncaptions-%s.vtt\n' "$SEG" "$i" >> captions.m3u8
  i=$((i + 1))
done
echo '#EXT-X-ENDLIST' >> captions.m3u8
ls -l captions*
