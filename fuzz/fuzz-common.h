/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>
#include <stdlib.h>

/* Every harness: a critical from our code is a bug the fuzzer should report as a crash, and
 * messages are dropped so that the fuzzer spends its time on the parsers, not on stderr. */
static GLogWriterOutput
fuzz_log_writer (GLogLevelFlags   log_level,
                 const GLogField *fields,
                 gsize            n_fields,
                 gpointer         user_data)
{
  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    return g_log_writer_standard_streams (log_level, fields, n_fields, user_data);

  return G_LOG_WRITER_HANDLED;
}

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  g_log_set_writer_func (fuzz_log_writer, NULL, NULL);
}

/* Aborts with a message: libFuzzer reports it as a crash and saves the input. */
#define fuzz_assert(expr) \
  G_STMT_START { \
    if G_LIKELY (expr) ; else \
      { \
        g_printerr ("%s:%d: assertion failed: %s\n", __FILE__, __LINE__, #expr); \
        abort (); \
      } \
  } G_STMT_END
