/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-image"

#include "config.h"

#include "ga-image.h"

#include "ga-error.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gi18n.h>
#include <string.h>

/* The decoder gets the data in pieces, so that it can be stopped between two of them. */
#define DECODE_CHUNK_SIZE (64 * 1024)

/* libjpeg-turbo suggests a limit like this for untrusted progressive JPEGs. */
#define JPEG_MAX_SCANS 100

static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static guint
read_be16 (const guint8 *p)
{
  return ((guint) p[0] << 8) | p[1];
}

static guint
read_le16 (const guint8 *p)
{
  return p[0] | ((guint) p[1] << 8);
}

static guint32
read_le24 (const guint8 *p)
{
  return p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16);
}

static guint32
read_le32 (const guint8 *p)
{
  return p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

typedef enum
{
  PROBE_OK,
  PROBE_UNKNOWN,    /* not a format we know */
  PROBE_TRUNCATED,  /* a known format that ends before its size */
  PROBE_DAMAGED,    /* a known format whose header makes no sense */
} ProbeStatus;

/* Signature, then the IHDR chunk, which must come first: length 13, "IHDR", width, height. */
static ProbeStatus
probe_png (const guint8 *data,
           gsize         length,
           guint        *width,
           guint        *height)
{
  if (length < 8 + 8 + 8)
    return PROBE_TRUNCATED;

  if (read_be32 (data + 8) != 13 || memcmp (data + 12, "IHDR", 4) != 0)
    return PROBE_DAMAGED;

  *width = read_be32 (data + 16);
  *height = read_be32 (data + 20);

  /* The format limits both to 2^31 - 1. */
  if (*width > G_MAXINT32 || *height > G_MAXINT32)
    return PROBE_DAMAGED;

  return PROBE_OK;
}

/* "GIF87a" or "GIF89a", then the logical screen's width and height. */
static ProbeStatus
probe_gif (const guint8 *data,
           gsize         length,
           guint        *width,
           guint        *height)
{
  if (length < 10)
    return PROBE_TRUNCATED;

  *width = read_le16 (data + 6);
  *height = read_le16 (data + 8);
  return PROBE_OK;
}

/* The one walk over a JPEG's marker segments; every read is checked against @length.
 *
 * With @width and @height (the probe), it stops at the first frame header (SOF0 to SOF15
 * other than DHT, JPG and DAC) and reads the size there; the image data or its end before
 * one is damage. Without them (the check before decoding), it goes on through the
 * entropy-coded data of every scan to the end-of-image marker. */
static ProbeStatus
walk_jpeg (const guint8 *data,
           gsize         length,
           guint        *width,
           guint        *height)
{
  gboolean probing = width != NULL;
  gsize pos = 2;
  guint n_scans = 0;

  for (;;)
    {
      guint8 marker;
      gsize segment_length;

      /* Like libjpeg, skip anything that is not a marker, then any fill bytes. */
      while (pos < length && data[pos] != 0xff)
        pos++;
      while (pos < length && data[pos] == 0xff)
        pos++;
      if (pos >= length)
        return PROBE_TRUNCATED;

      marker = data[pos++];

      /* Markers without a segment: TEM, RST0-7 and a repeated SOI. A stuffed 0x00 is no
       * marker at all. */
      if (marker == 0x00 || marker == 0x01 || (marker >= 0xd0 && marker <= 0xd8))
        continue;

      /* The end of the image; for the probe, it or the image data came before any frame
       * header: there is no size to find. */
      if (marker == 0xd9)
        return probing ? PROBE_DAMAGED : PROBE_OK;
      if (marker == 0xda && probing)
        return PROBE_DAMAGED;

      if (length - pos < 2)
        return PROBE_TRUNCATED;
      segment_length = read_be16 (data + pos);
      if (segment_length < 2)
        return PROBE_DAMAGED;

      if (probing && marker >= 0xc0 && marker <= 0xcf &&
          marker != 0xc4 && marker != 0xc8 && marker != 0xcc)
        {
          /* Length (2), precision (1), height (2), width (2). */
          if (segment_length < 7)
            return PROBE_DAMAGED;
          if (length - pos < 7)
            return PROBE_TRUNCATED;

          *height = read_be16 (data + pos + 3);
          *width = read_be16 (data + pos + 5);
          return PROBE_OK;
        }

      if (length - pos < segment_length)
        return PROBE_TRUNCATED;
      pos += segment_length;

      if (marker != 0xda)
        continue;

      /* A progressive JPEG has about ten scans; each one makes libjpeg go over the whole
       * picture again, so thousands of tiny ones would keep it busy for minutes. */
      if (++n_scans > JPEG_MAX_SCANS)
        return PROBE_DAMAGED;

      /* After a scan header comes entropy-coded data, in which 0xff is followed by a stuffed
       * 0x00 or a restart marker; any other marker ends the scan and is read above. */
      for (;;)
        {
          while (pos < length && data[pos] != 0xff)
            pos++;
          if (length - pos < 2)
            return PROBE_TRUNCATED;
          if (data[pos + 1] == 0x00 || (data[pos + 1] >= 0xd0 && data[pos + 1] <= 0xd7))
            pos += 2;
          else if (data[pos + 1] == 0xff)
            pos++;
          else
            break;
        }
    }
}

/* "RIFF", size, "WEBP", then a VP8 (lossy), VP8L (lossless) or VP8X (extended) chunk. */
static ProbeStatus
probe_webp (const guint8 *data,
            gsize         length,
            guint        *width,
            guint        *height)
{
  const guint8 *chunk;

  if (length < 20)
    return PROBE_TRUNCATED;

  chunk = data + 20;

  if (memcmp (data + 12, "VP8 ", 4) == 0)
    {
      /* A 3-byte frame tag (a key frame has bit 0 clear), the start code 9d 01 2a, then
       * 14-bit width and height with 2 bits of scaling each. */
      if (length < 20 + 10)
        return PROBE_TRUNCATED;
      if ((chunk[0] & 0x01) != 0 || chunk[3] != 0x9d || chunk[4] != 0x01 || chunk[5] != 0x2a)
        return PROBE_DAMAGED;

      *width = read_le16 (chunk + 6) & 0x3fff;
      *height = read_le16 (chunk + 8) & 0x3fff;
      return PROBE_OK;
    }
  else if (memcmp (data + 12, "VP8L", 4) == 0)
    {
      guint32 bits;

      /* The signature 0x2f, then width - 1 and height - 1 in 14 bits each. */
      if (length < 20 + 5)
        return PROBE_TRUNCATED;
      if (chunk[0] != 0x2f)
        return PROBE_DAMAGED;

      bits = read_le32 (chunk + 1);
      *width = (bits & 0x3fff) + 1;
      *height = ((bits >> 14) & 0x3fff) + 1;
      return PROBE_OK;
    }
  else if (memcmp (data + 12, "VP8X", 4) == 0)
    {
      /* Flags (1), reserved (3), canvas width - 1 (3), canvas height - 1 (3). */
      if (length < 20 + 10)
        return PROBE_TRUNCATED;

      *width = read_le24 (chunk + 4) + 1;
      *height = read_le24 (chunk + 7) + 1;
      return PROBE_OK;
    }

  return PROBE_DAMAGED;
}

/* The decoders of gdk-pixbuf hand out a half-grey picture for data that stops early, without
 * an error. So before decoding, the data is walked to the end of the picture (the end of the
 * first frame for a GIF): a cheap, linear, allocation-free check. The header has been probed
 * already. */

/* The CRC-32 of PNG (ISO 3309, the one of zlib), over a chunk's type and data. */
static guint32
png_crc (const guint8 *data,
         gsize         length)
{
  static guint32 table[256];
  static gsize table_ready = 0;
  guint32 crc = 0xffffffff;

  if (g_once_init_enter (&table_ready))
    {
      for (guint32 n = 0; n < 256; n++)
        {
          guint32 c = n;

          for (guint k = 0; k < 8; k++)
            c = (c & 1) ? 0xedb88320 ^ (c >> 1) : c >> 1;
          table[n] = c;
        }
      g_once_init_leave (&table_ready, 1);
    }

  for (gsize i = 0; i < length; i++)
    crc = table[(crc ^ data[i]) & 0xff] ^ (crc >> 8);

  return crc ^ 0xffffffff;
}

static ProbeStatus
png_check_end (const guint8 *data,
               gsize         length)
{
  gsize pos = 8;

  for (;;)
    {
      guint32 chunk_length;

      if (length - pos < 8)
        return PROBE_TRUNCATED;

      chunk_length = read_be32 (data + pos);
      if (chunk_length > G_MAXINT32)
        return PROBE_DAMAGED;

      /* Length (4) and type (4) are read; then come the data and a CRC (4). */
      pos += 8;
      if (length - pos < (gsize) chunk_length + 4)
        return PROBE_TRUNCATED;

      /* Whether libpng stops on a damaged chunk, warns and goes on, or hands out what it
       * decoded so far depends on its version and the chunk: a chunk whose CRC does not match
       * makes the whole picture damaged here, whatever the decoder would do. */
      if (png_crc (data + pos - 4, (gsize) chunk_length + 4) !=
          read_be32 (data + pos + chunk_length))
        return PROBE_DAMAGED;
      pos += (gsize) chunk_length + 4;

      if (memcmp (data + pos - chunk_length - 8, "IEND", 4) == 0)
        return PROBE_OK;
    }
}

/* Skips a GIF colour table if the flags byte announces one. */
static gboolean
gif_skip_color_table (gsize   length,
                      guint8  flags,
                      gsize  *pos)
{
  gsize size;

  if ((flags & 0x80) == 0)
    return TRUE;

  size = 3 * ((gsize) 1 << ((flags & 0x07) + 1));
  if (length - *pos < size)
    return FALSE;
  *pos += size;
  return TRUE;
}

/* Skips data sub-blocks (a size byte, then that many bytes) up to the empty one. */
static gboolean
gif_skip_sub_blocks (const guint8 *data,
                     gsize         length,
                     gsize        *pos)
{
  for (;;)
    {
      guint8 size;

      if (*pos >= length)
        return FALSE;
      size = data[(*pos)++];
      if (size == 0)
        return TRUE;
      if (length - *pos < size)
        return FALSE;
      *pos += size;
    }
}

/* Where the parts of a GIF's first frame are. */
typedef struct
{
  gsize header_end;   /* after the screen descriptor and the global colour table */
  gsize gce;          /* the last graphic control extension before the frame, or 0 */
  gsize image_start;  /* the image descriptor (0x2c) */
  gsize image_end;    /* after the frame's last data sub-block */
} GifLayout;

/* Finds the first frame. Only that frame is decoded: gdk-pixbuf keeps every frame of an
 * animation, and a few megabytes of LZW data can describe thousands of full-size frames. A
 * frame of width or height 0 is refused here, as gdk-pixbuf's GIF loader logs a critical for
 * one. */
static ProbeStatus
gif_check_end (const guint8 *data,
               gsize         length,
               GifLayout    *layout)
{
  gsize pos = 13;

  memset (layout, 0, sizeof *layout);

  if (length < 13)
    return PROBE_TRUNCATED;
  if (!gif_skip_color_table (length, data[10], &pos))
    return PROBE_TRUNCATED;
  layout->header_end = pos;

  for (;;)
    {
      gsize block_start = pos;

      if (pos >= length)
        return PROBE_TRUNCATED;

      switch (data[pos++])
        {
        case 0x21: /* extension: a label, then sub-blocks */
          if (pos >= length)
            return PROBE_TRUNCATED;
          /* A graphic control extension holds at least the packed fields, a delay and the
           * transparent colour index. */
          if (data[pos] == 0xf9 && length - pos >= 6 && data[pos + 1] >= 4)
            layout->gce = block_start;
          pos++;
          if (!gif_skip_sub_blocks (data, length, &pos))
            return PROBE_TRUNCATED;
          break;

        case 0x2c: /* image: a descriptor, a colour table, the LZW code size, sub-blocks */
          if (length - pos < 9)
            return PROBE_TRUNCATED;
          if (read_le16 (data + pos + 4) == 0 || read_le16 (data + pos + 6) == 0)
            return PROBE_DAMAGED;
          layout->image_start = block_start;
          pos += 9;
          if (!gif_skip_color_table (length, data[pos - 1], &pos))
            return PROBE_TRUNCATED;
          if (pos >= length)
            return PROBE_TRUNCATED;
          pos++;
          if (!gif_skip_sub_blocks (data, length, &pos))
            return PROBE_TRUNCATED;
          layout->image_end = pos;
          return PROBE_OK;

        case 0x3b: /* trailer before any image */
        default:
          return PROBE_DAMAGED;
        }
    }
}

/* A GIF of the first frame alone, in the plainest form: the header, a fresh graphic control
 * extension that keeps only the transparency, the frame, the trailer. Comments, application
 * extensions and all that followed are left out, so that gdk-pixbuf's own GIF parser cannot
 * read the blocks differently from gif_check_end(). Disposal is left unset: it says what
 * happens after the frame, and gdk-pixbuf logs criticals when it restores ("disposal 3") a
 * frame that lies outside the picture. */
static GBytes *
gif_first_frame (const guint8    *data,
                 const GifLayout *layout)
{
  GByteArray *out = g_byte_array_sized_new (layout->header_end + 8 +
                                            (layout->image_end - layout->image_start) + 1);

  g_byte_array_append (out, data, layout->header_end);

  if (layout->gce != 0)
    {
      const guint8 *gce = data + layout->gce;
      guint8 fresh[8] = { 0x21, 0xf9, 0x04, gce[3] & 0x01, 0x00, 0x00, gce[6], 0x00 };

      g_byte_array_append (out, fresh, sizeof fresh);
    }

  g_byte_array_append (out, data + layout->image_start, layout->image_end - layout->image_start);
  g_byte_array_append (out, (const guint8 *) "\x3b", 1);

  return g_byte_array_free_to_bytes (out);
}

static ProbeStatus
webp_check_end (const guint8 *data,
                gsize         length)
{
  guint32 riff_size = read_le32 (data + 4);

  return length - 8 >= riff_size ? PROBE_OK : PROBE_TRUNCATED;
}

/* Sets @gif to where the first frame of a GIF is. */
static gboolean
check_end (const guint8   *data,
           gsize           length,
           GaImageFormat   format,
           GifLayout      *gif,
           GError        **error)
{
  ProbeStatus status;

  switch (format)
    {
    case GA_IMAGE_FORMAT_PNG:
      status = png_check_end (data, length);
      break;
    case GA_IMAGE_FORMAT_JPEG:
      status = walk_jpeg (data, length, NULL, NULL);
      break;
    case GA_IMAGE_FORMAT_GIF:
      status = gif_check_end (data, length, gif);
      break;
    case GA_IMAGE_FORMAT_WEBP:
      status = webp_check_end (data, length);
      break;
    case GA_IMAGE_FORMAT_UNKNOWN:
    default:
      status = PROBE_UNKNOWN;
      break;
    }

  if (status == PROBE_OK)
    return TRUE;
  else if (status == PROBE_TRUNCATED)
    g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                         _("The picture could not be read: the data ends too early. Try "
                           "again later."));
  else
    g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                         _("The picture could not be read: the data is damaged."));
  return FALSE;
}

static gboolean
has_prefix (const guint8 *data,
            gsize         length,
            const void   *prefix,
            gsize         prefix_length)
{
  return length >= prefix_length && memcmp (data, prefix, prefix_length) == 0;
}

/**
 * ga_image_probe:
 * @data: (array length=length) (nullable): the start of the picture's data
 * @length: how many bytes @data holds
 * @format: (out) (optional): the format
 * @width: (out) (optional): the width in pixels, as the header states it
 * @height: (out) (optional): the height in pixels, as the header states it
 * @error: a %GA_ERROR_IMAGE_INVALID when the header is not one it knows
 *
 * Reads only the header of @data: its format (JPEG, PNG, GIF or WebP) and pixel size. It
 * never reads outside @data, allocates nothing and is safe on any bytes. A size of zero is
 * refused.
 *
 * Returns: %TRUE if @data starts like a picture of a known format and size
 */
gboolean
ga_image_probe (const guint8   *data,
                gsize           length,
                GaImageFormat  *format,
                guint          *width,
                guint          *height,
                GError        **error)
{
  GaImageFormat found = GA_IMAGE_FORMAT_UNKNOWN;
  ProbeStatus status = PROBE_UNKNOWN;
  guint w = 0;
  guint h = 0;

  g_return_val_if_fail (data != NULL || length == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (length == 0)
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: no data was received. Try again "
                             "later."));
      return FALSE;
    }

  if (has_prefix (data, length, png_signature, sizeof png_signature))
    {
      found = GA_IMAGE_FORMAT_PNG;
      status = probe_png (data, length, &w, &h);
    }
  else if (has_prefix (data, length, "\xff\xd8\xff", 3))
    {
      found = GA_IMAGE_FORMAT_JPEG;
      status = walk_jpeg (data, length, &w, &h);
    }
  else if (has_prefix (data, length, "GIF87a", 6) || has_prefix (data, length, "GIF89a", 6))
    {
      found = GA_IMAGE_FORMAT_GIF;
      status = probe_gif (data, length, &w, &h);
    }
  else if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    {
      found = GA_IMAGE_FORMAT_WEBP;
      status = probe_webp (data, length, &w, &h);
    }

  if (status == PROBE_OK && (w == 0 || h == 0))
    status = PROBE_DAMAGED;

  switch (status)
    {
    case PROBE_OK:
      break;

    case PROBE_TRUNCATED:
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data ends too early. Try "
                             "again later."));
      return FALSE;

    case PROBE_DAMAGED:
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is damaged."));
      return FALSE;

    case PROBE_UNKNOWN:
    default:
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is not a picture in a "
                             "known format."));
      return FALSE;
    }

  if (format != NULL)
    *format = found;
  if (width != NULL)
    *width = w;
  if (height != NULL)
    *height = h;

  return TRUE;
}

static const char *
format_loader_name (GaImageFormat format)
{
  switch (format)
    {
    case GA_IMAGE_FORMAT_JPEG:
      return "jpeg";
    case GA_IMAGE_FORMAT_PNG:
      return "png";
    case GA_IMAGE_FORMAT_GIF:
      return "gif";
    case GA_IMAGE_FORMAT_WEBP:
      return "webp";
    case GA_IMAGE_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}

static const char *
format_display_name (GaImageFormat format)
{
  switch (format)
    {
    case GA_IMAGE_FORMAT_JPEG:
      return "JPEG";
    case GA_IMAGE_FORMAT_PNG:
      return "PNG";
    case GA_IMAGE_FORMAT_GIF:
      return "GIF";
    case GA_IMAGE_FORMAT_WEBP:
      return "WebP";
    case GA_IMAGE_FORMAT_UNKNOWN:
    default:
      return "?";
    }
}

typedef struct
{
  guint    expected_width;
  guint    expected_height;
  gboolean refused;
  guint    thumbnail_size;   /* 0: full size */
} SizeCheck;

/* The decoder's own idea of the size comes before it allocates the pixels. If it is not the
 * size the header promised, stop: a size of 0 makes gdk-pixbuf's loaders give up without
 * allocating (as gdk_pixbuf_get_file_info() does), and no more data is fed. */
static void
size_prepared_cb (GdkPixbufLoader *loader,
                  int              width,
                  int              height,
                  gpointer         user_data)
{
  SizeCheck *check = user_data;

  if (width <= 0 || height <= 0 ||
      (guint) width != check->expected_width || (guint) height != check->expected_height)
    {
      check->refused = TRUE;
      gdk_pixbuf_loader_set_size (loader, 0, 0);
      return;
    }

  /* Scaled while decoding, so a thumbnail never costs the full picture's pixels. */
  if (check->thumbnail_size > 0 &&
      ((guint) width > check->thumbnail_size || (guint) height > check->thumbnail_size))
    {
      int w = width >= height ? (int) check->thumbnail_size
                              : MAX (1, (int) ((gint64) width * check->thumbnail_size / height));
      int h = height >= width ? (int) check->thumbnail_size
                              : MAX (1, (int) ((gint64) height * check->thumbnail_size / width));

      gdk_pixbuf_loader_set_size (loader, w, h);
    }
}

static void
set_too_large_error (GError **error,
                     guint    width,
                     guint    height,
                     guint    max_dimension)
{
  g_set_error (error, GA_ERROR, GA_ERROR_IMAGE_TOO_LARGE,
               /* Translators: the first two %u are the picture's width and height in pixels,
                * the last one the largest width or height shown. */
               _("The picture is too large to show: it is %u × %u pixels, and pictures up to "
                 "%u pixels wide and high are shown."),
               width, height, max_dimension);
}

static GdkTexture *
texture_from_pixbuf (GdkPixbuf  *pixbuf,
                     GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  int width = gdk_pixbuf_get_width (pixbuf);
  int height = gdk_pixbuf_get_height (pixbuf);
  int rowstride = gdk_pixbuf_get_rowstride (pixbuf);
  gboolean has_alpha = gdk_pixbuf_get_has_alpha (pixbuf);
  int n_channels = gdk_pixbuf_get_n_channels (pixbuf);
  gsize needed;

  if (width <= 0 || height <= 0 ||
      gdk_pixbuf_get_colorspace (pixbuf) != GDK_COLORSPACE_RGB ||
      gdk_pixbuf_get_bits_per_sample (pixbuf) != 8 ||
      n_channels != (has_alpha ? 4 : 3) ||
      rowstride < width * n_channels)
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is damaged."));
      return NULL;
    }

  /* The last row of a pixbuf may stop short of the row stride; a memory texture of height
   * rows with this stride wants them all. */
  needed = (gsize) rowstride * (gsize) height;
  if (gdk_pixbuf_get_byte_length (pixbuf) >= needed)
    {
      bytes = g_bytes_new_with_free_func (gdk_pixbuf_read_pixels (pixbuf), needed,
                                          g_object_unref, g_object_ref (pixbuf));
    }
  else
    {
      guint8 *copy = g_malloc0 (needed);

      memcpy (copy, gdk_pixbuf_read_pixels (pixbuf), gdk_pixbuf_get_byte_length (pixbuf));
      bytes = g_bytes_new_take (copy, needed);
    }

  /* gdk-pixbuf keeps straight (not premultiplied) alpha. */
  return gdk_memory_texture_new (width, height,
                                 has_alpha ? GDK_MEMORY_R8G8B8A8 : GDK_MEMORY_R8G8B8,
                                 bytes, rowstride);
}

/**
 * ga_image_decode:
 * @bytes: the picture's data
 * @max_dimension: the largest width or height accepted
 * @error: a %GA_ERROR_IMAGE_TOO_LARGE or %GA_ERROR_IMAGE_INVALID
 *
 * Decodes @bytes into a texture, refusing (%GA_ERROR_IMAGE_TOO_LARGE) images wider or taller
 * than @max_dimension before any pixel memory is allocated. The EXIF orientation of a photo is
 * applied. Blocking: call it off the main thread (ga_image_decode_async() does). It is safe on
 * any bytes and never logs a warning for bad data.
 *
 * Returns: (transfer full) (nullable): the picture
 */
static GdkTexture *
decode_sized (GBytes  *bytes,
              guint    max_dimension,
              guint    thumbnail_size,
              GError **error)
{
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GdkPixbuf) oriented = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) gif_copy = NULL;
  SizeCheck check = { 0 };
  GaImageFormat format = GA_IMAGE_FORMAT_UNKNOWN;
  const guint8 *data;
  gsize length;
  gsize offset = 0;
  GifLayout gif = { 0 };
  gboolean ok = TRUE;
  GdkPixbuf *pixbuf;
  guint width = 0;
  guint height = 0;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &length);

  if (!ga_image_probe (data, length, &format, &width, &height, error))
    return NULL;

  if (width > max_dimension || height > max_dimension)
    {
      set_too_large_error (error, width, height, max_dimension);
      return NULL;
    }

  if (!check_end (data, length, format, &gif, error))
    return NULL;

  if (format == GA_IMAGE_FORMAT_GIF)
    {
      gif_copy = gif_first_frame (data, &gif);
      data = g_bytes_get_data (gif_copy, &length);
    }

  loader = gdk_pixbuf_loader_new_with_type (format_loader_name (format), &local_error);
  if (loader == NULL)
    {
      g_debug ("No %s loader: %s", format_loader_name (format), local_error->message);
      g_set_error (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                   /* Translators: %s is the name of a picture format, like WebP. */
                   _("The picture could not be shown: this system cannot read %s pictures. "
                     "Installing support for the format may help."),
                   format_display_name (format));
      return NULL;
    }

  check.expected_width = width;
  check.expected_height = height;
  check.thumbnail_size = thumbnail_size;
  g_signal_connect (loader, "size-prepared", G_CALLBACK (size_prepared_cb), &check);

  /* No GError for write(): gdk-pixbuf logs a warning when a loader fails without setting
   * one, and a damaged picture is no reason for a warning. The close() below reports. */
  while (ok && !check.refused && offset < length)
    {
      gsize n = MIN (length - offset, DECODE_CHUNK_SIZE);

      ok = gdk_pixbuf_loader_write (loader, data + offset, n, NULL);
      offset += n;
    }

  /* Closing is required even after a failure; a failed write() has closed it already and
   * this returns at once. */
  if (!gdk_pixbuf_loader_close (loader, &local_error))
    ok = FALSE;

  g_signal_handlers_disconnect_by_func (loader, size_prepared_cb, &check);

  if (check.refused)
    {
      g_debug ("The %s decoder disagreed with the header's size %u × %u",
               format_loader_name (format), width, height);
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is damaged."));
      return NULL;
    }

  pixbuf = gdk_pixbuf_loader_get_pixbuf (loader);
  if (!ok || pixbuf == NULL)
    {
      if (local_error != NULL)
        g_debug ("Decoding failed: %s", local_error->message);
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is damaged or "
                             "incomplete."));
      return NULL;
    }

  /* A safety net after the check in size-prepared: never hand out more than was allowed. */
  if ((guint) gdk_pixbuf_get_width (pixbuf) > max_dimension ||
      (guint) gdk_pixbuf_get_height (pixbuf) > max_dimension)
    {
      set_too_large_error (error,
                           (guint) gdk_pixbuf_get_width (pixbuf),
                           (guint) gdk_pixbuf_get_height (pixbuf),
                           max_dimension);
      return NULL;
    }

  /* Photos from phones are often stored sideways with an EXIF note on how to turn them. */
  oriented = gdk_pixbuf_apply_embedded_orientation (pixbuf);
  if (oriented == NULL)
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_INVALID,
                           _("The picture could not be read: the data is damaged."));
      return NULL;
    }

  return texture_from_pixbuf (oriented, error);
}

GdkTexture *
ga_image_decode (GBytes  *bytes,
                 guint    max_dimension,
                 GError **error)
{
  return decode_sized (bytes, max_dimension, 0, error);
}

/**
 * ga_image_decode_thumbnail:
 * @bytes: the picture's data
 * @size: the most pixels the result may be wide or high
 *
 * Decodes @bytes like ga_image_decode() with %GA_IMAGE_MAX_DIMENSION, scaled down while
 * decoding so that neither side is over @size. Blocking: call it in a worker thread.
 *
 * Returns: (transfer full) (nullable): the picture
 */
GdkTexture *
ga_image_decode_thumbnail (GBytes  *bytes,
                           guint    size,
                           GError **error)
{
  g_return_val_if_fail (size > 0, NULL);

  return decode_sized (bytes, GA_IMAGE_MAX_DIMENSION, size, error);
}

static void
decode_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GBytes *bytes = task_data;
  g_autoptr(GdkTexture) texture = NULL;
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return;

  texture = ga_image_decode (bytes, GA_IMAGE_MAX_DIMENSION, &error);
  if (texture == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* A result nobody waits for any more is dropped. */
  if (g_task_return_error_if_cancelled (task))
    return;

  g_task_return_pointer (task, g_steal_pointer (&texture), g_object_unref);
}

/**
 * ga_image_decode_async:
 * @bytes: the picture's data
 * @cancellable: (nullable): a #GCancellable
 * @callback: called in the thread-default main context of the caller when done
 * @user_data: data for @callback
 *
 * Decodes @bytes in a worker thread with ga_image_decode() and a limit of
 * %GA_IMAGE_MAX_DIMENSION pixels.
 */
void
ga_image_decode_async (GBytes              *bytes,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (bytes != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_image_decode_async);
  g_task_set_name (task, "[green-avatar] decode image");
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_run_in_thread (task, decode_thread);
}

/**
 * ga_image_decode_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: a #GA_ERROR, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the picture
 */
GdkTexture *
ga_image_decode_finish (GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, ga_image_decode_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
