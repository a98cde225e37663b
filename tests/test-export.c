/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "test-export"

#include "config.h"

#include "ga-export.h"
#include "ga-list-parser.h"

#include <glib/gstdio.h>
#include <string.h>

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  return g_test_run ();
}
