/* qr.h: QR codes (libqrencode) drawn as inline SVG: one path of dark modules, no style. */
#ifndef MURAFIQ_QR_H
#define MURAFIQ_QR_H

struct buf;

#define QR_QUIET_ZONE 4 /* modules of white around the symbol (ISO/IEC 18004) */

/* Appends to b an <svg> of text as a QR code (error correction M, 8-bit, version as small as
 * the text allows), px wide and high, with role="img" and label (escaped) as its accessible
 * name. The viewBox is the symbol's width plus the quiet zone on each side, in modules.
 * Returns the QR version used (1 to 40), or -1 when the text cannot be encoded. */
int qr_svg(struct buf *b, const char *text, const char *label, int px);

#endif
