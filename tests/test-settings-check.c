/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-settings-check.h"

#include "ga-error.h"

#include "ga-test-server.h"

#include <string.h>

/* ga_settings_check(): the one check of the API URL, the instance ID and the token, which the
 * preferences, the credentials, the client and the Secret Service lookup all use. */

typedef struct
{
  const char *api_url;
  const char *id_instance;
  const char *token;
  int         code;        /* -1: valid */
  const char *in_message;  /* a phrase the message must contain */
} CheckCase;

#define TOKEN GA_TEST_TOKEN
#define URL "https://7105.api.greenapi.com"

/* One value at a time (NULL skips a field), as the preferences check a row. */
static const CheckCase field_cases[] = {
  /* Good values, as the console shows them. */
  { "https://api.green-api.com", NULL, NULL, -1, NULL },
  { "https://7105.api.greenapi.com", NULL, NULL, -1, NULL },
  { "https://3100.api.green-api.com/v3", NULL, NULL, -1, NULL },
  { "https://1103.api.green-api.com/", NULL, NULL, -1, NULL },
  { "HTTPS://API.GREEN-API.COM", NULL, NULL, -1, NULL },
  { "https://api.green-api.com:8443", NULL, NULL, -1, NULL },
  { "http://127.0.0.1:8080", NULL, NULL, -1, NULL },
  { "http://localhost/api", NULL, NULL, -1, NULL },
  { "http://[::1]:1234", NULL, NULL, -1, NULL },
  { NULL, "1101000001", NULL, -1, NULL },
  { NULL, "7", NULL, -1, NULL },
  { NULL, NULL, GA_TEST_TOKEN, -1, NULL },
  { "https://api.green-api.com", "1101000001", GA_TEST_TOKEN, -1, NULL },
  /* API URL. */
  { "", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "Enter the API URL" },
  { "api.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "must start with https://" },
  { "//api.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "must start with https://" },
  { "ftp://api.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "must start with" },
  { "https://api green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "spaces" },
  { " https://api.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "spaces" },
  { "https://api.green-api.com\n", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "spaces" },
  { "https://апи.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "characters" },
  { "https://api.green-api.com/\xff", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "characters" },
  { "https://", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "no host name" },
  { "https:///v3", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "no host name" },
  { "https://api.green-api.com:99999", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "not a valid" },
  { "https://api.green-api.com/%zz", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "not a valid" },
  { "https://user:pw@api.green-api.com", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "user name" },
  { "https://api.green-api.com/?x=1", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "“?” or “#”" },
  { "https://api.green-api.com/#top", NULL, NULL, GA_ERROR_INVALID_SETTINGS, "“?” or “#”" },
  { "http://api.green-api.com", NULL, NULL, GA_ERROR_INSECURE_URL, "unencrypted" },
  { "http://10.0.0.1:8080", NULL, NULL, GA_ERROR_INSECURE_URL, "unencrypted" },
  { "http://localhost.example.com", NULL, NULL, GA_ERROR_INSECURE_URL, "unencrypted" },
  /* Instance ID. */
  { NULL, "", NULL, GA_ERROR_INVALID_SETTINGS, "Enter the instance ID" },
  { NULL, "abc", NULL, GA_ERROR_INVALID_SETTINGS, "only contain digits" },
  { NULL, "1101 000001", NULL, GA_ERROR_INVALID_SETTINGS, "only contain digits" },
  { NULL, "-1101000001", NULL, GA_ERROR_INVALID_SETTINGS, "only contain digits" },
  { NULL, "１１０１", NULL, GA_ERROR_INVALID_SETTINGS, "only contain digits" },
  { NULL, "../1101", NULL, GA_ERROR_INVALID_SETTINGS, "only contain digits" },
  { NULL, "11010000011", NULL, GA_ERROR_INVALID_SETTINGS, "at most 10 digits" },
  /* Token. */
  { NULL, NULL, "", GA_ERROR_INVALID_SETTINGS, "Enter the API token" },
  { NULL, NULL, "d75b3a6637 4942c5b3c0", GA_ERROR_INVALID_SETTINGS, "spaces" },
  { NULL, NULL, "d75b3a6637\t4942c5b3c0", GA_ERROR_INVALID_SETTINGS, "spaces" },
  { NULL, NULL, "d75b3a6637/4942c5b3c0", GA_ERROR_INVALID_SETTINGS, "characters" },
  { NULL, NULL, "d75b3a6637ё4942c5b3c0", GA_ERROR_INVALID_SETTINGS, "characters" },
  /* The first bad field is the one reported. */
  { "https://api.green-api.com", "abc", GA_TEST_TOKEN, GA_ERROR_INVALID_SETTINGS, "digits" },
};

/* All three together, as the client checks them before a request. */
static const CheckCase all_cases[] = {
  { URL, "1101000001", TOKEN, -1, NULL },
  { URL "/", "1101000001", TOKEN, -1, NULL },
  { "https://3100.api.green-api.com/v3", "1101000001", TOKEN, -1, NULL },
  { "HTTPS://api.green-api.com", "1", TOKEN, -1, NULL },
  { "http://127.0.0.1:8080", "12345678901234567890", TOKEN, GA_ERROR_INVALID_SETTINGS, "at most 10 digits" },
  { "http://localhost", "1101000001", "x", -1, NULL },
  { "http://[::1]:80/v3/", "1101000001", TOKEN, -1, NULL },
  { URL, "1101000001", "a?b#c%d", -1, NULL },

  { "http://7105.api.greenapi.com", "1101000001", TOKEN, GA_ERROR_INSECURE_URL, "https" },
  { "http://10.0.0.1", "1101000001", TOKEN, GA_ERROR_INSECURE_URL, "https" },
  { "", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "7105.api.greenapi.com", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "/v3", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "ftp://api.green-api.com", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "file:///etc", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "https://", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { URL "?a=b", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { URL "#x", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "https://user:pw@api.green-api.com", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { " " URL, "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "https://api green-api.com", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },
  { "https://пример.рф", "1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "API URL" },

  { URL, "", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, "", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, "110100000a", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, "-1", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, " 1101000001", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, "123456789012345678901", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },
  { URL, "١٢٣", TOKEN, GA_ERROR_INVALID_SETTINGS, "instance ID" },

  { URL, "1101000001", "", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", "", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN "/x", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN " ", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", "\t" TOKEN, GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN "\n", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN "\x01", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN "\xff", GA_ERROR_INVALID_SETTINGS, "API token" },
  { URL, "1101000001", TOKEN "\u00a0", GA_ERROR_INVALID_SETTINGS, "API token" },
};

static void
run_cases (const CheckCase *cases,
           guint            n_cases)
{
  for (guint i = 0; i < n_cases; i++)
    {
      const CheckCase *c = &cases[i];
      g_autoptr(GError) error = NULL;
      gboolean ok;

      g_test_message ("case %u", i);
      ok = ga_settings_check (c->api_url, c->id_instance, c->token, &error);

      if (c->code < 0)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          continue;
        }

      g_assert_false (ok);
      g_assert_error (error, GA_ERROR, c->code);
      g_assert_nonnull (strstr (error->message, c->in_message));
      g_assert_null (strstr (error->message, GA_TEST_TOKEN));
      if (c->token != NULL && *c->token != '\0')
        g_assert_null (strstr (error->message, c->token));
    }
}

static void
test_fields (void)
{
  run_cases (field_cases, G_N_ELEMENTS (field_cases));
}

static void
test_all (void)
{
  run_cases (all_cases, G_N_ELEMENTS (all_cases));
}

/* The limits, at the edge and one past it; a token too long is not quoted either. */
static void
test_limits (void)
{
  struct {
    guint max;
    const char *prefix;
    char fill;
    int field;
  } limits[] = {
  { GA_SETTINGS_MAX_API_URL_LENGTH, "https://api.green-api.com/", 'a', 0 },
  { GA_SETTINGS_MAX_ID_INSTANCE_LENGTH, "", '1', 1 },
  { GA_SETTINGS_MAX_TOKEN_LENGTH, "", 'a', 2 },
  };

  g_assert_cmpuint (GA_SETTINGS_MAX_ID_INSTANCE_LENGTH, ==, 10);
  g_assert_cmpuint (GA_SETTINGS_MAX_TOKEN_LENGTH, ==, 256);

  for (guint i = 0; i < G_N_ELEMENTS (limits); i++)
    {
      for (guint extra = 0; extra < 2; extra++)
        {
          gsize prefix_length = strlen (limits[i].prefix);
          g_autofree char *value = g_strnfill (limits[i].max + extra, limits[i].fill);
          const char *values[3] = { NULL, NULL, NULL };
          g_autoptr(GError) error = NULL;

          memcpy (value, limits[i].prefix, prefix_length);
          values[limits[i].field] = value;

          g_test_message ("field %d, length %u", limits[i].field, limits[i].max + extra);
          g_assert_cmpint (ga_settings_check (values[0], values[1], values[2], &error),
                           ==, extra == 0);
          if (extra == 0)
            {
              g_assert_no_error (error);
              continue;
            }

          g_assert_error (error, GA_ERROR, GA_ERROR_INVALID_SETTINGS);
          g_assert_null (strstr (error->message, value));
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/green-avatar/settings-check/fields", test_fields);
  g_test_add_func ("/green-avatar/settings-check/all", test_all);
  g_test_add_func ("/green-avatar/settings-check/limits", test_limits);

  return g_test_run ();
}
