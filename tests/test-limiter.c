/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include "ga-limiter.h"

#include "ga-test-server.h"

/* The limiter on a fake clock: time moves only when a test says so, nothing sleeps. */

#define INSTANCE "1101000001 http://127.0.0.1:1"
#define SECOND   G_TIME_SPAN_SECOND
#define MS       G_TIME_SPAN_MILLISECOND

typedef struct
{
  GaLimiter *limiter;
  gint64     now;
  GArray    *grants;   /* gint64: fake times of the grants, in order */
  GPtrArray *order;    /* (element-type utf8) (unowned): labels of the grants, in order */
  GPtrArray *permits;  /* held permits when a test keeps them */
  gboolean   hold;     /* keep permits instead of releasing them at once */
} Fixture;

typedef struct
{
  Fixture    *fixture;
  const char *label;
  gboolean    done;
  GError     *error;
} Call;

static gint64
fake_clock (gpointer user_data)
{
  Fixture *f = user_data;

  return f->now;
}

static void
drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->limiter = ga_limiter_new ();
  f->now = 1000 * SECOND;
  ga_limiter_set_clock (f->limiter, fake_clock, f);
  f->grants = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->order = g_ptr_array_new ();
  f->permits = g_ptr_array_new_with_free_func ((GDestroyNotify) ga_limiter_permit_release);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_ptr_array_unref (f->permits);
  drain ();
  g_clear_object (&f->limiter);
  g_array_unref (f->grants);
  g_ptr_array_unref (f->order);
}

static void
acquired_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Call *call = user_data;
  Fixture *f = call->fixture;
  GaLimiterPermit *permit;

  permit = ga_limiter_acquire_finish (GA_LIMITER (object), result, &call->error);
  call->done = TRUE;
  if (permit == NULL)
    return;

  g_array_append_val (f->grants, f->now);
  g_ptr_array_add (f->order, (gpointer) call->label);
  if (f->hold)
    g_ptr_array_add (f->permits, permit);
  else
    ga_limiter_permit_release (permit);
}

static Call *
acquire (Fixture           *f,
         const char        *instance,
         GaApiMethod        method,
         GaRequestPriority  priority,
         GCancellable      *cancellable,
         const char        *label)
{
  Call *call = g_new0 (Call, 1);

  call->fixture = f;
  call->label = label;
  ga_limiter_acquire_async (f->limiter, instance, method, priority, cancellable,
                            acquired_cb, call);
  return call;
}

static void
advance (Fixture *f,
         gint64   delta)
{
  f->now += delta;
  ga_limiter_clock_changed (f->limiter);
  drain ();
}

/* The most grants in any window [t, t + 1 s). */
static guint
max_per_second (Fixture *f)
{
  return ga_test_max_in_window (f->grants, SECOND);
}

static void
test_table (void)
{
  /* Every method has a row, with the documented rate. */
  static const guint expected[GA_API_N_METHODS] = {
    [GA_API_METHOD_GET_AVATAR] = 10,
    [GA_API_METHOD_GET_STATE_INSTANCE] = 1,
    [GA_API_METHOD_GET_CONTACT_INFO] = 1,
    [GA_API_METHOD_GET_GROUP_DATA] = 1,
    [GA_API_METHOD_GET_CONTACTS] = 1,
    [GA_API_METHOD_CHECK_WHATSAPP] = 10,
    [GA_API_METHOD_GET_WA_SETTINGS] = 1,
    [GA_API_METHOD_GET_SETTINGS] = 1,
  };

  for (guint m = 0; m < GA_API_N_METHODS; m++)
    {
      const char *name = ga_api_method_get_name (m);

      g_assert_nonnull (name);
      g_assert_true (g_ascii_islower (name[0]));
      g_assert_cmpuint (ga_api_method_get_rate (m), ==, expected[m]);
    }
  g_assert_cmpstr (ga_api_method_get_name (GA_API_METHOD_CHECK_WHATSAPP), ==, "checkWhatsapp");
}

static void
run_burst (Fixture     *f,
           GaApiMethod  method,
           guint        n,
           gint64       step,
           gint64       total)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (calls, acquire (f, INSTANCE, method, GA_REQUEST_PRIORITY_BATCH, NULL,
                                     "burst"));
  drain ();

  for (gint64 t = 0; t < total; t += step)
    advance (f, step);

  for (guint i = 0; i < n; i++)
    g_assert_true (((Call *) g_ptr_array_index (calls, i))->done);
}

static void
test_window (Fixture       *f,
             gconstpointer  data)
{
  /* 35 getAvatar at once: 10 at once, then no more than 10 in any second. */
  run_burst (f, GA_API_METHOD_GET_AVATAR, 35, 37 * MS, 6 * SECOND);
  g_assert_cmpuint (f->grants->len, ==, 35);
  g_assert_cmpuint (max_per_second (f), ==, 10);
  g_assert_cmpint (g_array_index (f->grants, gint64, 9), ==, 1000 * SECOND);
}

static void
test_window_slow_method (Fixture       *f,
                         gconstpointer  data)
{
  run_burst (f, GA_API_METHOD_GET_CONTACT_INFO, 5, 100 * MS, 7 * SECOND);
  g_assert_cmpuint (f->grants->len, ==, 5);
  g_assert_cmpuint (max_per_second (f), ==, 1);
}

/* Once two answers came in 50 ms, a slot is paced by send time: it frees 1 s + the margin
 * (25 ms) after its request was sent, not 1 s after the answer. */
static void
test_paced_by_send (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree Call *first = NULL;
  g_autofree Call *second = NULL;
  g_autofree Call *third = NULL;

  f->hold = TRUE;
  first = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                   "first");
  second = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                    "second");
  third = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                   "third");
  drain ();
  g_assert_true (first->done);

  /* One answer says nothing of the network yet: counted from the answer. */
  advance (f, 50 * MS);
  g_ptr_array_set_size (f->permits, 0);
  advance (f, 999 * MS);
  g_assert_false (second->done);
  advance (f, 1 * MS);
  g_assert_true (second->done);

  advance (f, 50 * MS);
  g_ptr_array_set_size (f->permits, 0);  /* the answer of the second, 50 ms again */
  advance (f, 974 * MS);
  g_assert_false (third->done);
  advance (f, 1 * MS);
  g_assert_true (third->done);
}

/* Before two answers the limiter knows nothing of the network: a request is counted from when
 * its answer came. One that took 800 ms keeps its slot until a second after that. */
static void
test_counts_from_answer (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree Call *first = NULL;
  g_autofree Call *second = NULL;

  f->hold = TRUE;
  first = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                   "first");
  second = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                    "second");
  drain ();
  g_assert_true (first->done);
  g_assert_false (second->done);

  advance (f, 800 * MS);
  g_ptr_array_set_size (f->permits, 0);  /* the answer of the first came */
  advance (f, 999 * MS);
  g_assert_false (second->done);
  advance (f, 1 * MS);
  g_assert_true (second->done);
}

/* Once round trips of 50 ms were seen, a request that takes 800 ms may have spent 750 ms on
 * its way in: its slot frees 1 s after its answer less the 50 ms, not by its send time. */
static void
test_slow_answer (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree Call *first = NULL;
  g_autofree Call *second = NULL;
  g_autofree Call *third = NULL;

  f->hold = TRUE;
  first = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                   "first");
  second = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                    "second");
  third = acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACTS, GA_REQUEST_PRIORITY_BATCH, NULL,
                   "third");
  drain ();
  advance (f, 50 * MS);
  g_ptr_array_set_size (f->permits, 0);
  advance (f, 1000 * MS);
  g_assert_true (second->done);

  advance (f, 800 * MS);
  g_ptr_array_set_size (f->permits, 0);  /* the second's answer, 800 ms after it was sent */
  advance (f, 949 * MS);
  g_assert_false (third->done);
  advance (f, 1 * MS);
  g_assert_true (third->done);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

typedef struct
{
  GaLimiterPermit *permit;
  gint64           answer;
} Pending;

/* The server's view: 200 getAvatar at round trips of 40 to 70 ms whose way in varies by up to
 * the margin (10 to 35 ms), some stalled 300 ms on the way in. Counting arrivals in any window
 * of a second the server never sees more than 10, and the limiter keeps close to the rate. */
static void
test_arrivals_under_jitter (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GArray) arrivals = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) pending = g_array_new (FALSE, FALSE, sizeof (Pending));
  g_autoptr(GRand) rand = g_rand_new_with_seed (12);
  gint64 started = f->now;
  guint n = 200;
  guint answered = 0;

  f->hold = TRUE;
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_AVATAR,
                                     GA_REQUEST_PRIORITY_BATCH, NULL, "jitter"));

  while (answered < n)
    {
      drain ();
      /* New grants: give each its arrival and answer time. */
      while (f->permits->len > 0)
        {
          Pending p;
          gint64 way_in = g_rand_int_range (rand, 10, 36) * MS;
          gint64 rest = g_rand_int_range (rand, 30, 36) * MS;
          gint64 arrival;

          if (g_rand_int_range (rand, 0, 20) == 0)
            way_in += 300 * MS;
          arrival = f->now + way_in;
          g_array_append_val (arrivals, arrival);
          p.permit = g_ptr_array_steal_index (f->permits, 0);
          p.answer = arrival + rest;
          g_array_append_val (pending, p);
        }
      f->now += 1 * MS;
      for (guint i = 0; i < pending->len; i++)
        {
          Pending *p = &g_array_index (pending, Pending, i);

          if (p->answer <= f->now)
            {
              ga_limiter_permit_release (p->permit);
              g_array_remove_index_fast (pending, i--);
              answered++;
            }
        }
      ga_limiter_clock_changed (f->limiter);
    }

  g_array_sort (arrivals, compare_int64);
  g_assert_cmpuint (ga_test_max_in_window (arrivals, SECOND), <=, 10);
  g_test_message ("200 done after %.3f s", (f->now - started) / 1e6);
  /* 200 at 10 a second take 19 s at best; paced by the answers they would take 21 s. */
  g_assert_cmpint (f->now - started, <, 20500 * MS);
}

static void
test_shared (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GaLimiter) other = ga_limiter_new ();

  /* Two callers of the same instance share one limit... */
  for (guint i = 0; i < 12; i++)
    {
      g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_CHECK_WHATSAPP,
                                       GA_REQUEST_PRIORITY_BATCH, NULL, "a"));
      g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_CHECK_WHATSAPP,
                                       GA_REQUEST_PRIORITY_INTERACTIVE, NULL, "b"));
    }
  drain ();
  g_assert_cmpuint (f->grants->len, ==, 10);

  /* ... while another instance and another method have their own. */
  g_ptr_array_add (calls, acquire (f, "2202000002 http://127.0.0.1:1",
                                   GA_API_METHOD_CHECK_WHATSAPP,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "other instance"));
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_AVATAR,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "other method"));
  drain ();
  g_assert_cmpuint (f->grants->len, ==, 12);

  for (guint i = 0; i < 30; i++)
    advance (f, 100 * MS);
  g_assert_cmpuint (f->grants->len, ==, 26);
  for (guint i = 0; i < calls->len; i++)
    g_assert_true (((Call *) g_ptr_array_index (calls, i))->done);

  /* The default limiter is one per process. */
  g_assert_true (ga_limiter_get_default () == ga_limiter_get_default ());
  g_assert_false (ga_limiter_get_default () == other);
}

static void
test_slow_down (Fixture       *f,
                gconstpointer  data)
{
  g_autofree Call *first = NULL;
  g_autofree Call *second = NULL;
  g_autofree Call *third = NULL;

  first = acquire (f, INSTANCE, GA_API_METHOD_GET_AVATAR, GA_REQUEST_PRIORITY_BATCH, NULL, "1");
  drain ();
  g_assert_true (first->done);

  /* One caller got a 429 with Retry-After: 5 (or chose a 5 s backoff): everyone waits. */
  ga_limiter_slow_down (f->limiter, INSTANCE, GA_API_METHOD_GET_AVATAR, 5000);
  second = acquire (f, INSTANCE, GA_API_METHOD_GET_AVATAR, GA_REQUEST_PRIORITY_INTERACTIVE,
                    NULL, "2");
  third = acquire (f, INSTANCE, GA_API_METHOD_GET_AVATAR, GA_REQUEST_PRIORITY_BATCH, NULL, "3");
  drain ();
  g_assert_false (second->done);

  advance (f, 4999 * MS);
  g_assert_false (second->done);
  g_assert_false (third->done);
  g_assert_cmpuint (ga_limiter_get_n_queued (f->limiter, INSTANCE, GA_API_METHOD_GET_AVATAR),
                    ==, 2);

  advance (f, 1 * MS);
  g_assert_true (second->done);
  g_assert_true (third->done);

  /* Afterwards the method runs at half its rate for a while. */
  g_array_set_size (f->grants, 0);
  run_burst (f, GA_API_METHOD_GET_AVATAR, 20, 50 * MS, 5 * SECOND);
  g_assert_cmpuint (max_per_second (f), ==, 5);
}

static void
test_priority (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);
  const char *expected[] = { "busy", "i1", "i2", "b1", "b2", "b3" };

  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "busy"));
  drain ();
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "b1"));
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "b2"));
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_INTERACTIVE, NULL, "i1"));
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_BATCH, NULL, "b3"));
  g_ptr_array_add (calls, acquire (f, INSTANCE, GA_API_METHOD_GET_CONTACT_INFO,
                                   GA_REQUEST_PRIORITY_INTERACTIVE, NULL, "i2"));
  drain ();

  for (guint i = 0; i < 60; i++)
    advance (f, 100 * MS);

  g_assert_cmpuint (f->order->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (g_ptr_array_index (f->order, i), ==, expected[i]);
}

static void
test_cancel_queued (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree Call *busy = NULL;
  g_autofree Call *cancelled = NULL;
  g_autofree Call *next = NULL;

  busy = acquire (f, INSTANCE, GA_API_METHOD_GET_SETTINGS, GA_REQUEST_PRIORITY_BATCH, NULL,
                  "busy");
  cancelled = acquire (f, INSTANCE, GA_API_METHOD_GET_SETTINGS, GA_REQUEST_PRIORITY_BATCH,
                       cancellable, "cancelled");
  next = acquire (f, INSTANCE, GA_API_METHOD_GET_SETTINGS, GA_REQUEST_PRIORITY_BATCH, NULL,
                  "next");
  drain ();
  g_assert_cmpuint (ga_limiter_get_n_queued (f->limiter, INSTANCE, GA_API_METHOD_GET_SETTINGS),
                    ==, 2);

  /* Out of the queue at once, without waiting for its turn. */
  g_cancellable_cancel (cancellable);
  drain ();
  g_assert_true (cancelled->done);
  g_assert_error (cancelled->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (ga_limiter_get_n_queued (f->limiter, INSTANCE, GA_API_METHOD_GET_SETTINGS),
                    ==, 1);

  /* The one behind it takes the next slot, a second and the margin after the first. */
  advance (f, 1 * SECOND + 25 * MS);
  g_assert_true (next->done);
  g_assert_no_error (next->error);
  g_assert_cmpuint (f->grants->len, ==, 2);
  g_clear_error (&cancelled->error);
}

static void
test_hung_request (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree Call *hung = NULL;
  g_autofree Call *next = NULL;

  /* A request whose answer never comes holds its slot for a bounded time only. */
  f->hold = TRUE;
  hung = acquire (f, INSTANCE, GA_API_METHOD_GET_STATE_INSTANCE, GA_REQUEST_PRIORITY_BATCH,
                  NULL, "hung");
  next = acquire (f, INSTANCE, GA_API_METHOD_GET_STATE_INSTANCE, GA_REQUEST_PRIORITY_BATCH,
                  NULL, "next");
  drain ();
  g_assert_false (next->done);
  for (guint i = 0; i < 50; i++)
    advance (f, 100 * MS);
  g_assert_true (next->done);
  /* Releasing the old permit late does not free the slot the new one holds. */
  g_ptr_array_remove_index (f->permits, 0);
  g_assert_cmpuint (f->grants->len, ==, 2);
}

static void
test_unpaced (void)
{
  g_autoptr(GaLimiter) limiter = ga_limiter_new_unpaced ();
  Fixture f = { 0, };
  g_autoptr(GPtrArray) calls = g_ptr_array_new_with_free_func (g_free);

  f.limiter = limiter;
  f.grants = g_array_new (FALSE, FALSE, sizeof (gint64));
  f.order = g_ptr_array_new ();
  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (calls, acquire (&f, INSTANCE, GA_API_METHOD_GET_CONTACTS,
                                     GA_REQUEST_PRIORITY_BATCH, NULL, "x"));
  ga_test_wait_for (&((Call *) g_ptr_array_index (calls, 49))->done, 5000);
  g_assert_cmpuint (f.grants->len, ==, 50);
  g_array_unref (f.grants);
  g_ptr_array_unref (f.order);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/green-avatar/limiter/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/green-avatar/limiter/table", test_table);
  ADD ("window", test_window);
  ADD ("window-slow-method", test_window_slow_method);
  ADD ("paced-by-send", test_paced_by_send);
  ADD ("counts-from-answer", test_counts_from_answer);
  ADD ("slow-answer", test_slow_answer);
  ADD ("arrivals-under-jitter", test_arrivals_under_jitter);
  ADD ("shared", test_shared);
  ADD ("slow-down", test_slow_down);
  ADD ("priority", test_priority);
  ADD ("cancel-queued", test_cancel_queued);
  ADD ("hung-request", test_hung_request);
  g_test_add_func ("/green-avatar/limiter/unpaced", test_unpaced);

  return g_test_run ();
}
