/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-image"

#include "config.h"

#include "ga-error.h"
#include "ga-image.h"
#include "ga-test-server.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <string.h>

/* ga_image_probe(), ga_image_decode() and ga_image_decode_async(). Pictures are made at test
 * time with gdk-pixbuf or written byte by byte here; tests/data/images holds a WebP, which
 * gdk-pixbuf cannot write. No display is needed. */

#define WAIT_MS 10000

/* An opaque colour and a second one for pictures with two halves. */
#define COLOR_A 0x336699ffu
#define COLOR_B 0xe03010ffu

/* ------------------------------------------------------------------------------------------ */
/* Making pictures */

static GdkPixbuf *
make_pixbuf (int      width,
             int      height,
             gboolean has_alpha)
{
  GdkPixbuf *pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, has_alpha, 8, width, height);

  gdk_pixbuf_fill (pixbuf, COLOR_A);
  return pixbuf;
}

/* The left half in COLOR_A, the right half in COLOR_B. */
static GdkPixbuf *
make_two_halves (int width,
                 int height)
{
  GdkPixbuf *pixbuf = make_pixbuf (width, height, FALSE);
  g_autoptr(GdkPixbuf) right = gdk_pixbuf_new_subpixbuf (pixbuf, width / 2, 0,
                                                         width - width / 2, height);

  gdk_pixbuf_fill (right, COLOR_B);
  return pixbuf;
}

static GBytes *
save_pixbuf (GdkPixbuf  *pixbuf,
             const char *type)
{
  g_autoptr(GError) error = NULL;
  char *buffer = NULL;
  gsize length = 0;

  if (g_str_equal (type, "jpeg"))
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, type, &error, "quality", "95", NULL);
  else
    gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &length, type, &error, NULL);
  g_assert_no_error (error);

  return g_bytes_new_take (buffer, length);
}

static GBytes *
make_image (const char *type,
            int         width,
            int         height,
            gboolean    has_alpha)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (width, height, has_alpha);

  return save_pixbuf (pixbuf, type);
}

static guint32
crc32_of (const guint8 *data,
          gsize         length)
{
  guint32 crc = 0xffffffff;

  for (gsize i = 0; i < length; i++)
    {
      crc ^= data[i];
      for (guint bit = 0; bit < 8; bit++)
        crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }

  return crc ^ 0xffffffff;
}

static void
append_be32 (GByteArray *array,
             guint32     value)
{
  guint8 bytes[4] = { value >> 24, value >> 16, value >> 8, value };

  g_byte_array_append (array, bytes, 4);
}

static void
append_png_chunk (GByteArray   *png,
                  const char   *type,
                  const guint8 *data,
                  gsize         length)
{
  g_autoptr(GByteArray) crc_input = g_byte_array_new ();

  g_byte_array_append (crc_input, (const guint8 *) type, 4);
  if (length > 0)
    g_byte_array_append (crc_input, data, length);

  append_be32 (png, length);
  g_byte_array_append (png, crc_input->data, crc_input->len);
  append_be32 (png, crc32_of (crc_input->data, crc_input->len));
}

/* A PNG whose IHDR (with a correct CRC) claims @width × @height, followed by @n_garbage bytes
 * of an IDAT that is no picture data, and IEND if @with_end. */
static GBytes *
make_png_claim (guint32  width,
                guint32  height,
                gsize    n_garbage,
                gboolean with_end)
{
  static const guint8 signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autofree guint8 *garbage = g_malloc (MAX (n_garbage, 1));
  guint8 ihdr[13] = {
    width >> 24, width >> 16, width >> 8, width,
    height >> 24, height >> 16, height >> 8, height,
    8, 2, 0, 0, 0, /* 8 bits, RGB, deflate, no filter, not interlaced */
  };

  for (gsize i = 0; i < n_garbage; i++)
    garbage[i] = (guint8) (i * 37 + 11);

  g_byte_array_append (png, signature, sizeof signature);
  append_png_chunk (png, "IHDR", ihdr, sizeof ihdr);
  append_png_chunk (png, "IDAT", garbage, n_garbage);
  if (with_end)
    append_png_chunk (png, "IEND", NULL, 0);

  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

/* A JPEG with an EXIF block whose orientation tag is @orientation, inserted after the JFIF
 * segment that gdk-pixbuf writes first. */
static GBytes *
add_exif_orientation (GBytes *jpeg,
                      guint8  orientation)
{
  const guint8 exif[] = {
    0xff, 0xe1, 0x00, 0x22,
    'E', 'x', 'i', 'f', 0, 0,
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,        /* TIFF header, IFD at 8 */
    0x01, 0x00,                                          /* one entry */
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,      /* Orientation, SHORT, 1 */
    orientation, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,                              /* no next IFD */
  };
  gsize length;
  const guint8 *data = g_bytes_get_data (jpeg, &length);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize insert_at = 2;

  g_assert_cmpuint (length, >, 6);
  g_assert_cmpint (data[0], ==, 0xff);
  g_assert_cmpint (data[1], ==, 0xd8);
  if (data[2] == 0xff && data[3] == 0xe0)
    insert_at = 4 + (((gsize) data[4] << 8) | data[5]);
  g_assert_cmpuint (insert_at, <, length);

  g_byte_array_append (out, data, insert_at);
  g_byte_array_append (out, exif, sizeof exif);
  g_byte_array_append (out, data + insert_at, length - insert_at);

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

static GBytes *
load_test_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "images", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

/* The colour of one pixel, as 0xRRGGBBAA (alpha undone from GDK's premultiplied download). */
static guint32
texture_pixel (GdkTexture *texture,
               int         x,
               int         y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  gsize stride = (gsize) width * 4;
  g_autofree guint8 *pixels = g_malloc (stride * height);
  guint32 argb;
  guint a, r, g, b;

  gdk_texture_download (texture, pixels, stride);
  memcpy (&argb, pixels + y * stride + x * 4, 4);

  a = argb >> 24;
  r = (argb >> 16) & 0xff;
  g = (argb >> 8) & 0xff;
  b = argb & 0xff;
  if (a != 0 && a != 255)
    {
      r = r * 255 / a;
      g = g * 255 / a;
      b = b * 255 / a;
    }

  return (r << 24) | (g << 16) | (b << 8) | a;
}

/* Lossy pictures are compared with some room for each channel. */
static void
assert_color_near (guint32 actual,
                   guint32 expected,
                   guint   tolerance)
{
  for (guint shift = 0; shift < 32; shift += 8)
    {
      int a = (actual >> shift) & 0xff;
      int e = (expected >> shift) & 0xff;

      if ((guint) ABS (a - e) > tolerance)
        g_error ("Colour %08x is not near %08x", actual, expected);
    }
}

/* The same bytes on every run, so that a failure can be repeated. */
static guint8
fixed_noise (guint i)
{
  guint32 x = i * 2654435761u + 0x9e3779b9u;

  x ^= x >> 15;
  x *= 0x85ebca6bu;
  x ^= x >> 13;
  return (guint8) x;
}

/* Refused, for whatever reason the data gives. */
static void
assert_refused (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &error);

  g_assert_null (texture);
  g_assert_nonnull (error);
  g_assert_true (error->domain == GA_ERROR);
  g_assert_true (error->code == GA_ERROR_IMAGE_INVALID || error->code == GA_ERROR_IMAGE_TOO_LARGE);
}

static void
assert_invalid (GBytes *bytes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &error);

  g_assert_null (texture);
  g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
  g_assert_true (g_str_has_prefix (error->message, "The picture could not "));
}

/* ------------------------------------------------------------------------------------------ */
/* Headers written byte by byte, for the probe */

/* SOI, JFIF, then the markers that share the SOF range but are no frame headers (DHT, JPG,
 * DAC), each holding bytes that would read as a wrong size, fill bytes, and a progressive
 * SOF2 for 640 × 480. */
static const guint8 jpeg_tricky_header[] = {
  0xff, 0xd8,
  0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01,
  0x00, 0x00,
  0xff, 0xc4, 0x00, 0x09, 0x08, 0x11, 0x11, 0x22, 0x22, 0x03, 0x00,
  0xff, 0xc8, 0x00, 0x09, 0x08, 0x33, 0x33, 0x44, 0x44, 0x03, 0x00,
  0xff, 0xcc, 0x00, 0x09, 0x08, 0x55, 0x55, 0x66, 0x66, 0x03, 0x00,
  0xff, 0xff, 0xff,
  0xfe, 0x00, 0x05, 'h', 'i', '!',                       /* a comment after fill bytes */
  0xff, 0xc2, 0x00, 0x11, 0x08, 0x01, 0xe0, 0x02, 0x80, 0x03,
  0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01,
};

static const guint8 gif_header[] = {
  'G', 'I', 'F', '8', '7', 'a', 0x80, 0x02, 0xe0, 0x01, 0x00, 0x00, 0x00,
};

/* The smallest complete GIF: 1 × 1, a two-colour table, one white pixel. */
static const guint8 gif_1x1[] = {
  'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
  0xff, 0xff, 0xff, 0x00, 0x00, 0x00,
  0x21, 0xf9, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00,
  0x2c, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00,
  0x02, 0x02, 0x44, 0x01, 0x00,
  0x3b,
};

static const guint8 webp_vp8x_header[] = {
  'R', 'I', 'F', 'F', 0x24, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
  'V', 'P', '8', 'X', 0x0a, 0x00, 0x00, 0x00,
  0x10, 0x00, 0x00, 0x00, 0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00,
};

static const guint8 webp_vp8l_header[] = {
  'R', 'I', 'F', 'F', 0x1c, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
  'V', 'P', '8', 'L', 0x10, 0x00, 0x00, 0x00,
  0x2f, 0x7f, 0xc0, 0x77, 0x00,    /* 128 × 480 */
};

static const guint8 webp_vp8_header[] = {
  'R', 'I', 'F', 'F', 0x38, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
  'V', 'P', '8', ' ', 0x2c, 0x00, 0x00, 0x00,
  0x90, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x41,   /* 640 × 480, scaled */
};

typedef struct
{
  const char    *name;
  const guint8  *data;
  gsize          length;
  GaImageFormat  format;
  guint          width;
  guint          height;
} HeaderCase;

static const HeaderCase header_cases[] = {
  { "jpeg-tricky", jpeg_tricky_header, sizeof jpeg_tricky_header, GA_IMAGE_FORMAT_JPEG, 640, 480 },
  { "gif", gif_header, sizeof gif_header, GA_IMAGE_FORMAT_GIF, 640, 480 },
  { "gif-1x1", gif_1x1, sizeof gif_1x1, GA_IMAGE_FORMAT_GIF, 1, 1 },
  { "webp-vp8x", webp_vp8x_header, sizeof webp_vp8x_header, GA_IMAGE_FORMAT_WEBP, 640, 480 },
  { "webp-vp8l", webp_vp8l_header, sizeof webp_vp8l_header, GA_IMAGE_FORMAT_WEBP, 128, 480 },
  { "webp-vp8", webp_vp8_header, sizeof webp_vp8_header, GA_IMAGE_FORMAT_WEBP, 640, 480 },
};

static void
assert_probe (const guint8  *data,
              gsize          length,
              GaImageFormat  format,
              guint          width,
              guint          height)
{
  g_autoptr(GError) error = NULL;
  GaImageFormat found = GA_IMAGE_FORMAT_UNKNOWN;
  guint w = 0;
  guint h = 0;

  g_assert_true (ga_image_probe (data, length, &found, &w, &h, &error));
  g_assert_no_error (error);
  g_assert_cmpint (found, ==, format);
  g_assert_cmpuint (w, ==, width);
  g_assert_cmpuint (h, ==, height);
}

static void
assert_probe_fails (const guint8 *data,
                    gsize         length)
{
  g_autoptr(GError) error = NULL;
  GaImageFormat found = GA_IMAGE_FORMAT_PNG;
  guint w = 7;
  guint h = 7;

  g_assert_false (ga_image_probe (data, length, &found, &w, &h, &error));
  g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  g_assert_true (g_str_has_prefix (error->message, "The picture could not be read: "));
  /* Nothing is written on failure. */
  g_assert_cmpint (found, ==, GA_IMAGE_FORMAT_PNG);
  g_assert_cmpuint (w, ==, 7);
  g_assert_cmpuint (h, ==, 7);
}

/* ------------------------------------------------------------------------------------------ */
/* Probe */

static void
test_probe_headers (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      const HeaderCase *c = &header_cases[i];

      g_test_message ("%s", c->name);
      assert_probe (c->data, c->length, c->format, c->width, c->height);
    }
}

static void
test_probe_generated (void)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 123, 45, FALSE);
  g_autoptr(GBytes) png = make_image ("png", 67, 890, TRUE);
  g_autoptr(GBytes) webp = load_test_file ("tiny.webp");

  assert_probe (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                GA_IMAGE_FORMAT_JPEG, 123, 45);
  assert_probe (g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                GA_IMAGE_FORMAT_PNG, 67, 890);
  assert_probe (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp),
                GA_IMAGE_FORMAT_WEBP, 4, 4);

  /* Outputs are optional. */
  g_assert_true (ga_image_probe (g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                 NULL, NULL, NULL, NULL));
}

static void
test_probe_limits (void)
{
  g_autoptr(GBytes) at_cap = make_png_claim (4096, 4096, 16, TRUE);
  g_autoptr(GBytes) over_cap = make_png_claim (4097, 4096, 16, TRUE);
  g_autoptr(GBytes) huge = make_png_claim (G_MAXINT32, G_MAXINT32, 16, TRUE);
  g_autoptr(GBytes) beyond = make_png_claim (0x80000000u, 1, 16, TRUE);

  assert_probe (g_bytes_get_data (at_cap, NULL), g_bytes_get_size (at_cap),
                GA_IMAGE_FORMAT_PNG, 4096, 4096);
  assert_probe (g_bytes_get_data (over_cap, NULL), g_bytes_get_size (over_cap),
                GA_IMAGE_FORMAT_PNG, 4097, 4096);
  assert_probe (g_bytes_get_data (huge, NULL), g_bytes_get_size (huge),
                GA_IMAGE_FORMAT_PNG, G_MAXINT32, G_MAXINT32);
  /* More than the PNG format allows. */
  assert_probe_fails (g_bytes_get_data (beyond, NULL), g_bytes_get_size (beyond));
}

static void
test_probe_not_images (void)
{
#define TEXT(s) { s, sizeof s - 1 }
  static const struct { const char *data; gsize length; } texts[] = {
    TEXT ("<!DOCTYPE html><html><head><title>403 Forbidden</title></head></html>"),
    TEXT ("URL signature expired"),
    TEXT ("{\"code\": 401, \"description\": \"Unauthorized\"}"),
    TEXT ("GIF"),                /* too short for any signature */
    TEXT ("GIF89a\x10"),         /* too short for a size */
    TEXT ("\x89PNG\r\n"),         /* a cut signature */
    TEXT ("RIFF\x10\x00\x00\x00WAVEfmt "),
    TEXT ("BM\x36\x00\x00\x00"),
    TEXT ("\xff\xd8"),             /* a JPEG that ends after its first marker */
  };
#undef TEXT
  guint8 garbage[512];
  guint8 zeros[64] = { 0 };

  assert_probe_fails (NULL, 0);
  assert_probe_fails (zeros, sizeof zeros);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    assert_probe_fails ((const guint8 *) texts[i].data, texts[i].length);

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = fixed_noise (i);
  /* Random bytes that happen to start like a signature are made not to. */
  garbage[0] = 0x00;
  assert_probe_fails (garbage, sizeof garbage);
}

static void
test_probe_damaged (void)
{
  /* Zero width or height, in each format. */
  static const guint8 gif_zero[] = { 'G', 'I', 'F', '8', '9', 'a', 0x00, 0x00, 0x10, 0x00 };
  static const guint8 jpeg_zero_height[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x00, 0x00, 0x10, 0x01, 0x01, 0x11, 0x00,
  };
  /* A segment length below 2. */
  static const guint8 jpeg_short_segment[] = {
    0xff, 0xd8, 0xff, 0xe0, 0x00, 0x01, 0xff, 0xc0, 0x00, 0x0b, 0x08, 0x00, 0x10, 0x00, 0x10,
  };
  /* Image data before any frame header. */
  static const guint8 jpeg_sos_first[] = {
    0xff, 0xd8, 0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34,
  };
  static const guint8 jpeg_eoi_first[] = { 0xff, 0xd8, 0xff, 0xd9 };
  /* A frame header too short to hold a size. */
  static const guint8 jpeg_tiny_sof[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x04, 0x08, 0x00, 0x10, 0x00, 0x10, 0x01,
  };
  /* IHDR not first. */
  static const guint8 png_no_ihdr[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0x00, 0x00, 0x00, 0x0d, 'I', 'D', 'A', 'T',
    0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x10, 0x08, 0x02, 0x00, 0x00, 0x00,
  };
  static const guint8 webp_unknown_chunk[] = {
    'R', 'I', 'F', 'F', 0x24, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
    'V', 'P', '8', 'Z', 0x0a, 0x00, 0x00, 0x00,
    0x10, 0x00, 0x00, 0x00, 0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00,
  };
  static const guint8 webp_vp8_no_start_code[] = {
    'R', 'I', 'F', 'F', 0x38, 0x00, 0x00, 0x00, 'W', 'E', 'B', 'P',
    'V', 'P', '8', ' ', 0x2c, 0x00, 0x00, 0x00,
    0x90, 0x01, 0x00, 0x9d, 0x01, 0x2b, 0x80, 0x02, 0xe0, 0x01,
  };
  g_autoptr(GBytes) png_zero = make_png_claim (0, 16, 16, TRUE);

  assert_probe_fails (gif_zero, sizeof gif_zero);
  assert_probe_fails (jpeg_zero_height, sizeof jpeg_zero_height);
  assert_probe_fails (jpeg_short_segment, sizeof jpeg_short_segment);
  assert_probe_fails (jpeg_sos_first, sizeof jpeg_sos_first);
  assert_probe_fails (jpeg_eoi_first, sizeof jpeg_eoi_first);
  assert_probe_fails (jpeg_tiny_sof, sizeof jpeg_tiny_sof);
  assert_probe_fails (png_no_ihdr, sizeof png_no_ihdr);
  assert_probe_fails (webp_unknown_chunk, sizeof webp_unknown_chunk);
  assert_probe_fails (webp_vp8_no_start_code, sizeof webp_vp8_no_start_code);
  assert_probe_fails (g_bytes_get_data (png_zero, NULL), g_bytes_get_size (png_zero));
}

/* Every prefix of a valid header, each in a buffer of exactly that size (so that ASan sees any
 * read past the end): fails cleanly until the size is in, then gives the right size. */
static void
assert_every_prefix (const guint8  *data,
                     gsize          length,
                     GaImageFormat  format,
                     guint          width,
                     guint          height)
{
  gboolean seen_success = FALSE;

  for (gsize cut = 0; cut <= length; cut++)
    {
      g_autofree guint8 *copy = cut > 0 ? g_memdup2 (data, cut) : NULL;
      g_autoptr(GError) error = NULL;
      GaImageFormat found = GA_IMAGE_FORMAT_UNKNOWN;
      guint w = 0;
      guint h = 0;

      if (ga_image_probe (copy, cut, &found, &w, &h, &error))
        {
          g_assert_cmpint (found, ==, format);
          g_assert_cmpuint (w, ==, width);
          g_assert_cmpuint (h, ==, height);
          seen_success = TRUE;
        }
      else
        {
          g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
          /* Once the size is known, more data does not make it unknown. */
          g_assert_false (seen_success);
        }
    }

  g_assert_true (seen_success);
}

static void
test_probe_every_prefix (void)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 33, 17, FALSE);
  g_autoptr(GBytes) png = make_image ("png", 17, 33, TRUE);
  g_autoptr(GBytes) webp = load_test_file ("tiny.webp");

  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      const HeaderCase *c = &header_cases[i];

      g_test_message ("%s", c->name);
      assert_every_prefix (c->data, c->length, c->format, c->width, c->height);
    }

  assert_every_prefix (g_bytes_get_data (jpeg, NULL), g_bytes_get_size (jpeg),
                       GA_IMAGE_FORMAT_JPEG, 33, 17);
  assert_every_prefix (g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                       GA_IMAGE_FORMAT_PNG, 17, 33);
  assert_every_prefix (g_bytes_get_data (webp, NULL), g_bytes_get_size (webp),
                       GA_IMAGE_FORMAT_WEBP, 4, 4);
}

/* Every byte of each header set to a few values: no crash, no read out of bounds, and a
 * result that is either a size or an error. */
static void
test_probe_mutations (void)
{
  static const guint8 values[] = { 0x00, 0x01, 0x7f, 0x80, 0xc0, 0xd9, 0xda, 0xfe, 0xff };

  for (guint i = 0; i < G_N_ELEMENTS (header_cases); i++)
    {
      const HeaderCase *c = &header_cases[i];

      for (gsize pos = 0; pos < c->length; pos++)
        {
          for (guint v = 0; v < G_N_ELEMENTS (values); v++)
            {
              g_autofree guint8 *copy = g_memdup2 (c->data, c->length);
              g_autoptr(GError) error = NULL;
              guint w = 0;
              guint h = 0;

              copy[pos] = values[v];
              if (ga_image_probe (copy, c->length, NULL, &w, &h, &error))
                {
                  g_assert_no_error (error);
                  g_assert_cmpuint (w, >, 0);
                  g_assert_cmpuint (h, >, 0);
                }
              else
                g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
            }
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Decode */

static void
test_decode_jpeg (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_two_halves (64, 48);
  g_autoptr(GBytes) jpeg = save_pixbuf (pixbuf, "jpeg");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = ga_image_decode (jpeg, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_true (GDK_IS_MEMORY_TEXTURE (texture));
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 48);
  assert_color_near (texture_pixel (texture, 8, 24), COLOR_A, 8);
  assert_color_near (texture_pixel (texture, 56, 24), COLOR_B, 8);
}

static void
test_decode_jpeg_640 (void)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 640, 640, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* The size of a full avatar. */
  texture = ga_image_decode (jpeg, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 640);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 640);
  assert_color_near (texture_pixel (texture, 639, 639), COLOR_A, 8);
}

static void
test_decode_png (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_pixbuf (40, 30, TRUE);
  g_autoptr(GdkPixbuf) corner = gdk_pixbuf_new_subpixbuf (pixbuf, 0, 0, 10, 10);
  g_autoptr(GdkPixbuf) opaque = make_two_halves (31, 7);
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GBytes) png_opaque = save_pixbuf (opaque, "png");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* A transparent corner on an opaque picture. */
  gdk_pixbuf_fill (corner, 0x00000000);
  png = save_pixbuf (pixbuf, "png");

  texture = ga_image_decode (png, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 40);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 30);
  g_assert_cmphex (texture_pixel (texture, 20, 20), ==, COLOR_A);
  g_assert_cmphex (texture_pixel (texture, 39, 29), ==, COLOR_A);
  g_assert_cmphex (texture_pixel (texture, 5, 5) & 0xff, ==, 0);
  g_clear_object (&texture);

  /* No alpha, and an odd width so that rows are padded. */
  texture = ga_image_decode (png_opaque, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 31);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 7);
  g_assert_cmphex (texture_pixel (texture, 0, 0), ==, COLOR_A);
  g_assert_cmphex (texture_pixel (texture, 30, 6), ==, COLOR_B);
}

static void
test_decode_gif (void)
{
  g_autoptr(GBytes) gif = g_bytes_new_static (gif_1x1, sizeof gif_1x1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = ga_image_decode (gif, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 1);
  g_assert_cmphex (texture_pixel (texture, 0, 0), ==, 0xffffffff);
}

/* Frames of width or height 0 make gdk-pixbuf's GIF loader log a critical (fatal here); they
 * are refused before it sees them. Only the first frame is decoded, so a bad frame after it
 * does not matter. */
static void
test_decode_gif_frames (void)
{
  g_autoptr(GByteArray) zero_first = g_byte_array_new ();
  g_autoptr(GByteArray) zero_second = g_byte_array_new ();
  g_autoptr(GByteArray) outside = g_byte_array_new ();
  g_autoptr(GBytes) outside_bytes = NULL;
  g_autoptr(GBytes) zero_first_bytes = NULL;
  g_autoptr(GBytes) zero_second_bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  /* The image descriptor of gif_1x1 starts at 27; its width at 32 and height at 34. */
  const gsize frame_start = 27;
  const gsize frame_end = sizeof gif_1x1 - 1;

  g_byte_array_append (zero_first, gif_1x1, sizeof gif_1x1);
  zero_first->data[34] = 0;
  zero_first_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&zero_first));
  assert_invalid (zero_first_bytes);

  g_byte_array_append (zero_second, gif_1x1, frame_end);
  g_byte_array_append (zero_second, gif_1x1 + frame_start, frame_end - frame_start);
  g_byte_array_append (zero_second, (const guint8 *) "\x3b", 1);
  zero_second->data[frame_end + 7] = 0;
  zero_second_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&zero_second));

  texture = ga_image_decode (zero_second_bytes, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1);
  g_assert_cmphex (texture_pixel (texture, 0, 0), ==, 0xffffffff);
  g_clear_object (&texture);

  /* A frame outside the picture, to be restored afterwards (disposal 3): gdk-pixbuf logs a
   * critical for the restore, and the restore does not matter for one frame. */
  g_byte_array_append (outside, gif_1x1, sizeof gif_1x1);
  outside->data[22] = 3 << 2;   /* the GCE's packed fields */
  outside->data[28] = 5;        /* the frame's left edge */
  outside->data[30] = 5;        /* its top */
  outside_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&outside));

  texture = ga_image_decode (outside_bytes, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 1);
  g_clear_object (&texture);

  /* Found by fuzzing: blocks before the frame that gdk-pixbuf reads differently from the
   * GIF standard, which once made it log a critical. Only the blocks needed are passed on. */
  {
    g_autoptr(GBytes) fuzzed = load_test_file ("fuzz-gif-blocks.gif");

    texture = ga_image_decode (fuzzed, GA_IMAGE_MAX_DIMENSION, &error);
    g_assert_true ((texture == NULL) != (error == NULL));
    g_clear_error (&error);
  }
}

/* A progressive JPEG has about ten scans; thousands of them are refused before libjpeg spends
 * minutes on them. */
static void
test_decode_jpeg_scans (void)
{
  static const guint8 scan[] = {
    0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00, 0x12, 0x34, 0xff, 0x00, 0x56,
  };
  static const guint n_scans[] = { 50, 1000 };

  for (guint i = 0; i < G_N_ELEMENTS (n_scans); i++)
    {
      g_autoptr(GByteArray) jpeg = g_byte_array_new ();
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = NULL;

      g_byte_array_append (jpeg, jpeg_tricky_header, sizeof jpeg_tricky_header);
      for (guint j = 0; j < n_scans[i]; j++)
        g_byte_array_append (jpeg, scan, sizeof scan);
      g_byte_array_append (jpeg, (const guint8 *) "\xff\xd9", 2);
      bytes = g_byte_array_free_to_bytes (g_steal_pointer (&jpeg));

      /* Fifty made-up scans get to libjpeg, which finds them damaged; a thousand do not. */
      texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &error);
      g_assert_null (texture);
      g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
      if (n_scans[i] > 100)
        g_assert_cmpstr (error->message, ==, "The picture could not be read: the data is damaged.");
      else
        g_assert_cmpstr (error->message, !=, "The picture could not be read: the data is damaged.");
    }
}

static gboolean
have_pixbuf_format (const char *name)
{
  g_autoptr(GSList) formats = gdk_pixbuf_get_formats ();

  for (GSList *l = formats; l != NULL; l = l->next)
    {
      g_autofree char *format_name = gdk_pixbuf_format_get_name (l->data);

      if (g_str_equal (format_name, name))
        return TRUE;
    }

  return FALSE;
}

static void
test_decode_webp (void)
{
  g_autoptr(GBytes) webp = load_test_file ("tiny.webp");
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = ga_image_decode (webp, GA_IMAGE_MAX_DIMENSION, &error);

  /* WebP needs an extra gdk-pixbuf loader; without one, the message says what is missing. */
  if (have_pixbuf_format ("webp"))
    {
      g_assert_no_error (error);
      g_assert_cmpint (gdk_texture_get_width (texture), ==, 4);
      g_assert_cmpint (gdk_texture_get_height (texture), ==, 4);
    }
  else
    {
      g_assert_null (texture);
      g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
      g_assert_nonnull (strstr (error->message, "WebP"));
    }
}

static void
test_decode_exif_orientation (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_two_halves (64, 32);
  g_autoptr(GBytes) plain = save_pixbuf (pixbuf, "jpeg");
  g_autoptr(GBytes) turned = add_exif_orientation (plain, 6);
  g_autoptr(GBytes) upright = add_exif_orientation (plain, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  /* Orientation 6: the stored picture is to be turned 90° clockwise, so its left half (A)
   * comes on top. */
  texture = ga_image_decode (turned, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 32);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 64);
  assert_color_near (texture_pixel (texture, 16, 8), COLOR_A, 8);
  assert_color_near (texture_pixel (texture, 16, 56), COLOR_B, 8);
  g_clear_object (&texture);

  texture = ga_image_decode (upright, GA_IMAGE_MAX_DIMENSION, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, 64);
  g_assert_cmpint (gdk_texture_get_height (texture), ==, 32);
  assert_color_near (texture_pixel (texture, 8, 16), COLOR_A, 8);
}

static void
test_decode_max_dimension (void)
{
  g_autoptr(GBytes) png = make_image ("png", 64, 20, FALSE);
  g_autoptr(GBytes) tall = make_image ("jpeg", 20, 64, FALSE);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  texture = ga_image_decode (png, 64, &error);
  g_assert_no_error (error);
  g_assert_nonnull (texture);
  g_clear_object (&texture);

  texture = ga_image_decode (png, 63, &error);
  g_assert_null (texture);
  g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "64 × 20"));
  g_clear_error (&error);

  texture = ga_image_decode (tall, 63, &error);
  g_assert_null (texture);
  g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE);
}

/* Claims of a huge size are refused from the header alone. The data after the header is no
 * picture at all, so had anything tried to decode it, the error would be IMAGE_INVALID. */
static void
test_decode_huge_claims (void)
{
  static const guint8 jpeg_huge[] = {
    0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0xfd, 0xe8, 0xfd, 0xe8, 0x03,
    0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01, 0xff, 0xd9,
  };
  static const guint8 gif_huge[] = {
    'G', 'I', 'F', '8', '9', 'a', 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x3b,
  };
  g_autoptr(GBytes) png_huge = make_png_claim (30000, 30000, 200, TRUE);
  g_autoptr(GBytes) png_wide = make_png_claim (4097, 1, 200, TRUE);
  g_autoptr(GBytes) png_at_cap = make_png_claim (4096, 4096, 200, FALSE);
  g_autoptr(GBytes) webp_huge = g_bytes_new_static (webp_vp8x_header,
                                                    sizeof webp_vp8x_header);
  GBytes *refused[] = { png_huge, png_wide, NULL, NULL, NULL };
  g_autoptr(GBytes) jpeg_bytes = g_bytes_new_static (jpeg_huge, sizeof jpeg_huge);
  g_autoptr(GBytes) gif_bytes = g_bytes_new_static (gif_huge, sizeof gif_huge);

  refused[2] = jpeg_bytes;
  refused[3] = gif_bytes;
  g_assert_cmpuint (g_bytes_get_size (png_huge), <, 400);

  for (guint i = 0; refused[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GdkTexture) texture = ga_image_decode (refused[i], GA_IMAGE_MAX_DIMENSION,
                                                       &error);

      g_assert_null (texture);
      g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE);
      g_assert_true (g_str_has_prefix (error->message, "The picture is too large to show"));
    }

  /* The 640 × 480 WebP header is refused under a smaller cap. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GdkTexture) texture = ga_image_decode (webp_huge, 479, &error);

    g_assert_null (texture);
    g_assert_error (error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE);
  }

  /* Exactly at the cap passes the size check and fails only because the data ends early
   * (before any decoder allocates 4096 × 4096 pixels). */
  assert_invalid (png_at_cap);
}

static void
test_decode_truncated (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_two_halves (24, 16);
  g_autoptr(GBytes) jpeg = save_pixbuf (pixbuf, "jpeg");
  g_autoptr(GBytes) png = save_pixbuf (pixbuf, "png");
  g_autoptr(GBytes) gif = g_bytes_new_static (gif_1x1, sizeof gif_1x1);
  GBytes *images[] = { jpeg, png, gif };

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (images[i], &length);

      /* The whole picture decodes... */
      {
        g_autoptr(GdkTexture) texture = ga_image_decode (images[i], GA_IMAGE_MAX_DIMENSION,
                                                         NULL);
        g_assert_nonnull (texture);
      }

      /* ...and no part of it does, whatever the length. A GIF is whole once its first
       * frame is, which is before its final trailer byte. */
      for (gsize cut = 0; cut < length - (images[i] == gif ? 1 : 0); cut++)
        {
          g_autoptr(GBytes) part = g_bytes_new (data, cut);

          assert_invalid (part);
        }
    }
}

static void
test_decode_not_images (void)
{
  static const char * const texts[] = {
    "",
    "<!DOCTYPE html>\n<html><body><h1>403 Forbidden</h1>URL signature expired</body></html>\n",
    "{\"urlAvatar\": \"\", \"available\": false}",
  };
  guint8 garbage[4096];

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));

      assert_invalid (bytes);
    }

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = fixed_noise (i);
  garbage[0] = 0x00;
  {
    g_autoptr(GBytes) bytes = g_bytes_new (garbage, sizeof garbage);

    assert_invalid (bytes);
  }

  /* Valid headers followed by garbage. */
  {
    g_autoptr(GBytes) png = make_image ("png", 8, 8, FALSE);
    g_autoptr(GBytes) jpeg = make_image ("jpeg", 8, 8, FALSE);
    g_autoptr(GByteArray) bad_png = g_byte_array_new ();
    g_autoptr(GByteArray) bad_jpeg = g_byte_array_new ();
    g_autoptr(GBytes) bad_png_bytes = NULL;
    g_autoptr(GBytes) bad_jpeg_bytes = NULL;

    g_byte_array_append (bad_png, g_bytes_get_data (png, NULL), 33);
    g_byte_array_append (bad_png, garbage + 1, 1000);
    bad_png_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&bad_png));
    assert_refused (bad_png_bytes);

    g_byte_array_append (bad_jpeg, g_bytes_get_data (jpeg, NULL), 20);
    g_byte_array_append (bad_jpeg, garbage + 1, 1000);
    bad_jpeg_bytes = g_byte_array_free_to_bytes (g_steal_pointer (&bad_jpeg));
    /* The JPEG reader skips bytes between markers, as libjpeg does, so the noise may hold
     * what reads as a frame header of any size. */
    assert_refused (bad_jpeg_bytes);
  }
}

/* Whether byte @pos of a PNG lies in its signature or a critical chunk (IHDR, IDAT, IEND: type
 * in upper case), which a CRC covers and libpng checks; an ancillary chunk with a bad CRC is
 * dropped with a silent warning, as it should. */
static gboolean
in_critical_png_chunk (const guint8 *data,
                       gsize         length,
                       gsize         pos)
{
  gsize start = 8;

  if (pos < 8)
    return TRUE;

  while (start + 12 <= length)
    {
      gsize chunk_end = start + 12 + (((gsize) data[start] << 24) | (data[start + 1] << 16) |
                                      (data[start + 2] << 8) | data[start + 3]);

      if (pos >= start && pos < chunk_end)
        return g_ascii_isupper (data[start + 4]);
      start = chunk_end;
    }

  return FALSE;
}

/* A PNG whose IHDR, IDAT or IEND is damaged (its CRC no longer matches) is refused; damage anywhere in a
 * small JPEG or PNG never leads to a warning (they are fatal here) nor to a crash. */
static void
test_decode_corrupt (void)
{
  g_autoptr(GdkPixbuf) pixbuf = make_two_halves (16, 16);
  g_autoptr(GBytes) jpeg = save_pixbuf (pixbuf, "jpeg");
  g_autoptr(GBytes) png = save_pixbuf (pixbuf, "png");
  GBytes *images[] = { jpeg, png };
  guint n_failed = 0;

  for (guint i = 0; i < G_N_ELEMENTS (images); i++)
    {
      gsize length;
      const guint8 *data = g_bytes_get_data (images[i], &length);

      for (gsize pos = 0; pos < length; pos++)
        {
          g_autofree guint8 *copy = g_memdup2 (data, length);
          g_autoptr(GBytes) bytes = NULL;
          g_autoptr(GError) error = NULL;
          g_autoptr(GdkTexture) texture = NULL;

          copy[pos] ^= 0x5a;
          bytes = g_bytes_new_take (g_steal_pointer (&copy), length);
          texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &error);
          g_assert_true ((texture == NULL) != (error == NULL));
          if (texture != NULL)
            {
              g_assert_cmpint (gdk_texture_get_width (texture), >, 0);
              g_assert_cmpint (gdk_texture_get_width (texture), <=, GA_IMAGE_MAX_DIMENSION);
            }
          else
            {
              g_assert_true (error->domain == GA_ERROR);
              g_assert_true (error->code == GA_ERROR_IMAGE_INVALID ||
                             error->code == GA_ERROR_IMAGE_TOO_LARGE);
              n_failed++;
            }

          /* Every byte of a PNG is covered by a signature, a length or a CRC. */
          if (images[i] == png && in_critical_png_chunk (data, length, pos))
            g_assert_null (texture);
        }
    }

  g_assert_cmpuint (n_failed, >, 0);
}

/* ------------------------------------------------------------------------------------------ */
/* Async */

typedef struct
{
  gboolean    done;
  guint       n_calls;
  GdkTexture *texture;  /* (owned) (nullable) */
  GError     *error;    /* (owned) (nullable) */
  GThread    *thread;   /* (unowned) where the callback ran */
} AsyncResult;

static void
async_result_clear (AsyncResult *result)
{
  g_clear_object (&result->texture);
  g_clear_error (&result->error);
  memset (result, 0, sizeof *result);
}

static void
decode_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  AsyncResult *result = user_data;

  g_assert_null (source);
  result->texture = ga_image_decode_finish (res, &result->error);
  result->thread = g_thread_self ();
  result->n_calls++;
  result->done = TRUE;
}

static void
test_decode_async (void)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 96, 96, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncResult result = { 0 };

  ga_image_decode_async (jpeg, cancellable, decode_cb, &result);
  g_assert_false (result.done);
  ga_test_wait_for (&result.done, WAIT_MS);

  g_assert_no_error (result.error);
  g_assert_cmpint (gdk_texture_get_width (result.texture), ==, 96);
  g_assert_cmpint (gdk_texture_get_height (result.texture), ==, 96);
  g_assert_cmpuint (result.n_calls, ==, 1);
  g_assert_true (result.thread == g_thread_self ());
  async_result_clear (&result);

  /* Without a cancellable too. */
  ga_image_decode_async (jpeg, NULL, decode_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_no_error (result.error);
  g_assert_nonnull (result.texture);
  async_result_clear (&result);
}

static void
test_decode_async_errors (void)
{
  g_autoptr(GBytes) huge = make_png_claim (30000, 30000, 200, TRUE);
  g_autoptr(GBytes) html = g_bytes_new_static ("<html></html>", 13);
  AsyncResult result = { 0 };

  ga_image_decode_async (huge, NULL, decode_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_null (result.texture);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE);
  async_result_clear (&result);

  ga_image_decode_async (html, NULL, decode_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_null (result.texture);
  g_assert_error (result.error, GA_ERROR, GA_ERROR_IMAGE_INVALID);
  async_result_clear (&result);
}

static void
test_decode_async_cancelled (void)
{
  g_autoptr(GBytes) jpeg = make_image ("jpeg", 640, 640, FALSE);
  g_autoptr(GCancellable) before = g_cancellable_new ();
  g_autoptr(GCancellable) after = g_cancellable_new ();
  AsyncResult result = { 0 };

  /* Cancelled before it starts. */
  g_cancellable_cancel (before);
  ga_image_decode_async (jpeg, before, decode_cb, &result);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_null (result.texture);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (result.n_calls, ==, 1);
  async_result_clear (&result);

  /* Cancelled while the worker may be decoding: the callback still comes, once, and says
   * cancelled, whatever the worker got to. */
  ga_image_decode_async (jpeg, after, decode_cb, &result);
  g_cancellable_cancel (after);
  ga_test_wait_for (&result.done, WAIT_MS);
  g_assert_null (result.texture);
  g_assert_error (result.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (result.n_calls, ==, 1);
  async_result_clear (&result);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/image/probe/headers", test_probe_headers);
  g_test_add_func ("/green-avatar/image/probe/generated", test_probe_generated);
  g_test_add_func ("/green-avatar/image/probe/limits", test_probe_limits);
  g_test_add_func ("/green-avatar/image/probe/not-images", test_probe_not_images);
  g_test_add_func ("/green-avatar/image/probe/damaged", test_probe_damaged);
  g_test_add_func ("/green-avatar/image/probe/every-prefix", test_probe_every_prefix);
  g_test_add_func ("/green-avatar/image/probe/mutations", test_probe_mutations);
  g_test_add_func ("/green-avatar/image/decode/jpeg", test_decode_jpeg);
  g_test_add_func ("/green-avatar/image/decode/jpeg-640", test_decode_jpeg_640);
  g_test_add_func ("/green-avatar/image/decode/png", test_decode_png);
  g_test_add_func ("/green-avatar/image/decode/gif", test_decode_gif);
  g_test_add_func ("/green-avatar/image/decode/gif-frames", test_decode_gif_frames);
  g_test_add_func ("/green-avatar/image/decode/jpeg-scans", test_decode_jpeg_scans);
  g_test_add_func ("/green-avatar/image/decode/webp", test_decode_webp);
  g_test_add_func ("/green-avatar/image/decode/exif-orientation", test_decode_exif_orientation);
  g_test_add_func ("/green-avatar/image/decode/max-dimension", test_decode_max_dimension);
  g_test_add_func ("/green-avatar/image/decode/huge-claims", test_decode_huge_claims);
  g_test_add_func ("/green-avatar/image/decode/truncated", test_decode_truncated);
  g_test_add_func ("/green-avatar/image/decode/not-images", test_decode_not_images);
  g_test_add_func ("/green-avatar/image/decode/corrupt", test_decode_corrupt);
  g_test_add_func ("/green-avatar/image/async/decode", test_decode_async);
  g_test_add_func ("/green-avatar/image/async/errors", test_decode_async_errors);
  g_test_add_func ("/green-avatar/image/async/cancelled", test_decode_async_cancelled);

  return g_test_run ();
}
