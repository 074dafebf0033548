/* qr.c: a QR code as SVG: each row's runs of dark modules become one path's rectangles. */
#include "qr.h"

#include <qrencode.h>

#include "arena.h"
#include "buf.h"
#include "html.h"

int
qr_svg(struct buf *b, const char *text, const char *label, int px)
{
        QRcode *q = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
        if (q == NULL)
                return -1;
        int w = q->width, size = w + 2 * QR_QUIET_ZONE;
        html_printf(b,
                    "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" role=\"img\" "
                    "aria-label=\"%s\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                    "shape-rendering=\"crispEdges\"><rect width=\"%d\" height=\"%d\" "
                    "fill=\"#fff\"></rect><path fill=\"#000\" d=\"",
                    label, px, px, size, size, size, size);
        for (int y = 0; y < w; y++) {
                for (int x = 0; x < w;) {
                        if (!(q->data[y * w + x] & 1)) {
                                x++;
                                continue;
                        }
                        int run = 1;
                        while (x + run < w && (q->data[y * w + x + run] & 1))
                                run++;
                        html_printf(b, "M%d %dh%dv1h-%dz", x + QR_QUIET_ZONE, y + QR_QUIET_ZONE,
                                    run, run);
                        x += run;
                }
        }
        html_printf(b, "\"></path></svg>");
        int version = q->version;
        QRcode_free(q);
        return version;
}
