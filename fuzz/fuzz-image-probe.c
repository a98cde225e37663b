/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the image front end: ga_image_probe() on any bytes, and
 * ga_image_decode() on those that probe as small images (so that each run stays fast). */

#define G_LOG_DOMAIN "fuzz-image-probe"

#include "config.h"

#include "ga-error.h"
#include "ga-image.h"

#include "fuzz-common.h"

#define DECODE_MAX_DIMENSION 256

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GaImageFormat format = GA_IMAGE_FORMAT_UNKNOWN;
  guint width = 0;
  guint height = 0;

  /* A copy of exactly @size bytes, so ASan sees any read past the end. */
  bytes = g_bytes_new (data, size);

  if (!ga_image_probe (g_bytes_get_data (bytes, NULL), size, &format, &width, &height, &error))
    {
      fuzz_assert (error != NULL);
      fuzz_assert (error->domain == GA_ERROR);
      return 0;
    }

  fuzz_assert (error == NULL);
  fuzz_assert (format != GA_IMAGE_FORMAT_UNKNOWN);

  if (width == 0 || height == 0 || width > DECODE_MAX_DIMENSION || height > DECODE_MAX_DIMENSION)
    return 0;

  texture = ga_image_decode (bytes, DECODE_MAX_DIMENSION, &error);
  if (texture == NULL)
    {
      fuzz_assert (error != NULL);
      fuzz_assert (error->domain == GA_ERROR);
      return 0;
    }

  /* Whatever the header said, the decoder never hands out more than the cap. */
  fuzz_assert (gdk_texture_get_width (texture) > 0);
  fuzz_assert (gdk_texture_get_height (texture) > 0);
  fuzz_assert (gdk_texture_get_width (texture) <= DECODE_MAX_DIMENSION);
  fuzz_assert (gdk_texture_get_height (texture) <= DECODE_MAX_DIMENSION);

  return 0;
}
