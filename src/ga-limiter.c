/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-limiter"

#include "config.h"

#include "ga-limiter.h"


/*
 * Pacing of the requests to GREEN-API, shared by every GaClient of the process, so that Green
 * Avatar itself never causes a 429.
 *
 * One bucket per instance and method holds as many slots as the method's documented rate per
 * second. A request takes a free slot and holds it until its answer is back (GaClient hears of
 * it with the body, from the network thread: see ga-http.c), or at most HOLD when the answer
 * never comes. The server counts the requests that *arrive* in any window of WINDOW; what it
 * sees of two requests that used the same slot one after the other, sent at s1 and s2, is
 * arrival a = s + d, d being the delay on the way in. The server sees them at least WINDOW
 * apart when s2 - s1 >= WINDOW + (d1 - d2). So a slot frees at the later of
 *
 *   (a) s1 + WINDOW + MARGIN: pacing by send time. MARGIN is what the way in may vary between
 *       two requests (d1 - d2 <= MARGIN). Requests go over one kept-alive connection to one
 *       host, where the delay varies by a few milliseconds on a wired or Wi-Fi link (its
 *       jitter). s1 is when the request was written, as the network thread reports with the
 *       answer (ga_limiter_permit_set_sent_time()), not when it was granted: the hop, a wait
 *       for one of libsoup's four connections to the host and a new connection's handshakes
 *       come in between, and vary far more than the way in (until the answer, and for a
 *       request that got none, the grant counts). 25 ms is
 *       several times that, and costs 2.4% of the rate (10 slots cycle every 1.025 s: at most
 *       9.76 getAvatar/s).
 *   (b) e1 + WINDOW - RTTmin, e1 being when the answer came and RTTmin the shortest round trip
 *       the bucket has seen: the guard for a request slower than the model above. A request
 *       that stalled on its way in (a retransmission, a Wi-Fi hiccup) shows it by a round
 *       trip longer than usual, and may have arrived as late as e1 - RTTmin + d_min; the next
 *       one then waits as long as that stall. (a) and (b) together assume that no request
 *       travels faster than on the fastest round trip seen by more than MARGIN, and that the
 *       server's time to answer does not shrink while the way in grows by more than MARGIN.
 *       Until two answers came RTTmin counts as 0 (one round trip says nothing about what is
 *       usual): the slot frees WINDOW after the answer, the rule that holds whatever the
 *       network does. A request that has not been answered keeps its slot (at most HOLD).
 *
 * Against counting WINDOW from the answer alone, a slot does one request every WINDOW + MARGIN
 * instead of every WINDOW + round trip: up to 9.76 getAvatar/s instead of 9.52 at a 50 ms
 * round trip or 9.09 at 100 ms, and the rate no longer falls as the network gets slower. Counting requests in flight still keeps
 * requests from piling up in parallel, where GREEN-API has been seen answering 429 below its
 * documented rates.
 *
 * A 429 pauses the bucket for the delay the client chose (Retry-After, or its backoff) and
 * halves its slots for REDUCED_FOR, for every caller of that instance and method.
 *
 * Everything runs in the main context of the thread that uses the limiter (the main thread
 * for the default one).
 */

#define WINDOW_US      (1000 * G_TIME_SPAN_MILLISECOND)
#define MARGIN_US      (25 * G_TIME_SPAN_MILLISECOND)
#define HOLD_US        (3000 * G_TIME_SPAN_MILLISECOND)
#define REDUCED_FOR_US (60 * G_TIME_SPAN_SECOND)

/* The documented per-instance limits (green-api.md, Rate limits), requests per second. */
static const struct {
  GaApiMethod  method;
  const char  *name;
  guint        rate;
} method_table[] = {
  { GA_API_METHOD_GET_AVATAR,         "getAvatar",        10 },
  { GA_API_METHOD_GET_STATE_INSTANCE, "getStateInstance", 1 },
  { GA_API_METHOD_GET_CONTACT_INFO,   "getContactInfo",   1 },
  { GA_API_METHOD_GET_GROUP_DATA,     "getGroupData",     1 },
  { GA_API_METHOD_GET_CONTACTS,       "getContacts",      1 },
  { GA_API_METHOD_CHECK_WHATSAPP,     "checkWhatsapp",    10 },
  { GA_API_METHOD_GET_WA_SETTINGS,    "getWaSettings",    1 },
  { GA_API_METHOD_GET_SETTINGS,       "getSettings",      1 },
};

typedef struct
{
  gint64   grant;
  gint64   end;
  guint    generation;
  gboolean used;
  gboolean in_flight;
} Slot;

typedef struct
{
  GaLimiter   *limiter;          /* (unowned) */
  guint        rate;
  Slot        *slots;            /* (owned) (array length=rate) */
  gint64       paused_until;
  gint64       reduced_until;
  gint64       rtt_min;          /* the shortest round trip seen */
  guint        n_answers;        /* how many round trips rtt_min is the least of */
  GQueue       waiters;          /* (owned) (element-type Waiter) */
  GSource     *timer;            /* (owned) (nullable) */
} Bucket;

typedef struct
{
  GTask             *task;          /* (owned) */
  Bucket            *bucket;        /* (unowned) */
  GaRequestPriority  priority;
  GSource           *cancel_source; /* (owned) (nullable) */
} Waiter;

struct _GaLimiterPermit
{
  GaLimiter *limiter;            /* (owned) */
  Bucket    *bucket;             /* (unowned): lives as long as the limiter */
  guint      slot;
  guint      generation;
};

struct _GaLimiter
{
  GObject             parent_instance;

  GHashTable         *buckets;   /* (owned): "instance/method" → (owned) Bucket */
  GaLimiterClockFunc  clock_func;
  gpointer            clock_data;
  gboolean            unpaced;
};

G_DEFINE_FINAL_TYPE (GaLimiter, ga_limiter, G_TYPE_OBJECT)

/**
 * ga_api_method_get_name:
 * @method: a #GaApiMethod
 *
 * Returns: the method's name as it goes into the request URL, e.g. `getAvatar`
 */
const char *
ga_api_method_get_name (GaApiMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_table); i++)
    {
      if (method_table[i].method == method)
        return method_table[i].name;
    }

  g_return_val_if_reached (NULL);
}

/**
 * ga_api_method_get_rate:
 * @method: a #GaApiMethod
 *
 * Returns: the documented limit of @method, in requests per second and instance, or 0 when
 *   @method has no row (a bug that the limiter's tests catch)
 */
guint
ga_api_method_get_rate (GaApiMethod method)
{
  for (guint i = 0; i < G_N_ELEMENTS (method_table); i++)
    {
      if (method_table[i].method == method)
        return method_table[i].rate;
    }

  return 0;
}

static gint64
now (GaLimiter *self)
{
  if (self->clock_func != NULL)
    return self->clock_func (self->clock_data);

  return g_get_monotonic_time ();
}

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
waiter_free (Waiter *waiter)
{
  clear_source (&waiter->cancel_source);
  g_clear_object (&waiter->task);
  g_free (waiter);
}

static void
bucket_free (Bucket *bucket)
{
  clear_source (&bucket->timer);
  /* Waiters hold the limiter through their task, so none are left here. */
  g_queue_clear_full (&bucket->waiters, (GDestroyNotify) waiter_free);
  g_free (bucket->slots);
  g_free (bucket);
}

static Bucket *
get_bucket (GaLimiter   *self,
            const char  *instance,
            GaApiMethod  method)
{
  g_autofree char *key = g_strdup_printf ("%s/%d", instance != NULL ? instance : "", method);
  Bucket *bucket = g_hash_table_lookup (self->buckets, key);

  if (bucket == NULL)
    {
      bucket = g_new0 (Bucket, 1);
      bucket->limiter = self;
      bucket->rate = MAX (ga_api_method_get_rate (method), 1);
      bucket->slots = g_new0 (Slot, bucket->rate);
      bucket->paused_until = G_MININT64;
      bucket->reduced_until = G_MININT64;
      g_hash_table_insert (self->buckets, g_steal_pointer (&key), bucket);
    }

  return bucket;
}

static guint
effective_slots (Bucket *bucket,
                 gint64  time)
{
  if (time < bucket->reduced_until)
    return MAX (bucket->rate / 2, 1);

  return bucket->rate;
}

/* See the rules (a) and (b) at the top. */
static gint64
slot_free_at (Bucket *bucket,
              Slot   *slot)
{
  if (!slot->used)
    return G_MININT64;
  if (slot->in_flight)
    return slot->grant + HOLD_US + WINDOW_US;
  return MAX (slot->grant + WINDOW_US + MARGIN_US,
              slot->end + WINDOW_US - (bucket->n_answers >= 2 ? bucket->rtt_min : 0));
}

static void process (Bucket *bucket);

static gboolean
timer_cb (gpointer user_data)
{
  Bucket *bucket = user_data;

  g_clear_pointer (&bucket->timer, g_source_unref);
  process (bucket);

  return G_SOURCE_REMOVE;
}

/* Wakes the bucket up when its next slot frees, unless a fake clock drives it. */
static void
arm_timer (Bucket *bucket,
           gint64  time)
{
  gint64 wake = G_MAXINT64;
  guint n = effective_slots (bucket, time);
  gint64 delay_ms;

  clear_source (&bucket->timer);

  if (g_queue_is_empty (&bucket->waiters) || bucket->limiter->clock_func != NULL)
    return;

  for (guint i = 0; i < n; i++)
    wake = MIN (wake, slot_free_at (bucket, &bucket->slots[i]));
  wake = MAX (wake, bucket->paused_until);
  if (bucket->reduced_until > time)
    wake = MIN (wake, MAX (bucket->reduced_until, bucket->paused_until));

  /* Round up, so the timer never fires just before the slot frees. */
  delay_ms = (wake - time + G_TIME_SPAN_MILLISECOND - 1) / G_TIME_SPAN_MILLISECOND;
  delay_ms = CLAMP (delay_ms, 1, G_MAXINT32);

  bucket->timer = g_timeout_source_new ((guint) delay_ms);
  g_source_set_callback (bucket->timer, timer_cb, bucket, NULL);
  g_source_set_static_name (bucket->timer, "[green-avatar] limiter");
  g_source_attach (bucket->timer, g_main_context_get_thread_default ());
}

static void
process (Bucket *bucket)
{
  GaLimiter *self = bucket->limiter;
  gint64 time = now (self);

  while (!g_queue_is_empty (&bucket->waiters))
    {
      Waiter *waiter = g_queue_peek_head (&bucket->waiters);
      GaLimiterPermit *permit;
      guint n = effective_slots (bucket, time);
      gint64 best_free_at = G_MAXINT64;
      guint best = G_MAXUINT;

      if (g_task_return_error_if_cancelled (waiter->task))
        {
          waiter_free (g_queue_pop_head (&bucket->waiters));
          continue;
        }

      if (time < bucket->paused_until && !self->unpaced)
        break;

      for (guint i = 0; i < n; i++)
        {
          gint64 free_at = slot_free_at (bucket, &bucket->slots[i]);

          if ((free_at <= time || self->unpaced) && free_at < best_free_at)
            {
              best_free_at = free_at;
              best = i;
            }
        }

      if (best == G_MAXUINT)
        break;

      bucket->slots[best].used = TRUE;
      bucket->slots[best].in_flight = TRUE;
      bucket->slots[best].grant = time;
      bucket->slots[best].generation++;

      permit = g_new0 (GaLimiterPermit, 1);
      permit->limiter = g_object_ref (self);
      permit->bucket = bucket;
      permit->slot = best;
      permit->generation = bucket->slots[best].generation;

      g_queue_pop_head (&bucket->waiters);
      g_task_return_pointer (waiter->task, permit, (GDestroyNotify) ga_limiter_permit_release);
      waiter_free (waiter);
    }

  arm_timer (bucket, time);
}

static gboolean
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  Waiter *waiter = user_data;
  Bucket *bucket = waiter->bucket;

  /* Taken out of the queue at once, so it never holds up the requests behind it. */
  g_queue_remove (&bucket->waiters, waiter);
  g_task_return_error_if_cancelled (waiter->task);
  waiter_free (waiter);

  process (bucket);

  return G_SOURCE_REMOVE;
}

static void
ga_limiter_finalize (GObject *object)
{
  GaLimiter *self = (GaLimiter *)object;

  g_clear_pointer (&self->buckets, g_hash_table_unref);

  G_OBJECT_CLASS (ga_limiter_parent_class)->finalize (object);
}

static void
ga_limiter_class_init (GaLimiterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_limiter_finalize;
}

static void
ga_limiter_init (GaLimiter *self)
{
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) bucket_free);
}

/**
 * ga_limiter_get_default:
 *
 * The limiter every #GaClient uses unless given another: one per process, so the window, a
 * batch view, a search provider and a command line share the limits of an instance however
 * many clients they make. Use it from the main thread only.
 *
 * Returns: (transfer none): the process-wide #GaLimiter
 */
GaLimiter *
ga_limiter_get_default (void)
{
  static gsize default_limiter;

  if (g_once_init_enter (&default_limiter))
    g_once_init_leave (&default_limiter, (gsize) ga_limiter_new ());

  return (GaLimiter *) default_limiter;
}

/**
 * ga_limiter_new:
 *
 * A limiter of its own, e.g. for a test. Real code uses ga_limiter_get_default().
 *
 * Returns: (transfer full): a new #GaLimiter
 */
GaLimiter *
ga_limiter_new (void)
{
  return g_object_new (GA_TYPE_LIMITER, NULL);
}

/**
 * ga_limiter_new_unpaced:
 *
 * A limiter that lets every request go at once: for tests and benchmarks that measure
 * something else than pacing (memory over 1,000 lookups, say) and would otherwise run at
 * 10 lookups a second.
 *
 * Returns: (transfer full): a new #GaLimiter
 */
GaLimiter *
ga_limiter_new_unpaced (void)
{
  GaLimiter *self = ga_limiter_new ();

  self->unpaced = TRUE;
  return self;
}

/**
 * ga_limiter_set_clock:
 * @self: a #GaLimiter
 * @clock_func: (nullable): returns the time in monotonic microseconds; %NULL for the real
 *   clock
 * @user_data: data for @clock_func
 *
 * Puts the limiter on a fake clock for tests. It then arms no timers: call
 * ga_limiter_clock_changed() after moving the clock to let queued requests go.
 */
void
ga_limiter_set_clock (GaLimiter          *self,
                      GaLimiterClockFunc  clock_func,
                      gpointer            user_data)
{
  g_return_if_fail (GA_IS_LIMITER (self));

  self->clock_func = clock_func;
  self->clock_data = user_data;
}

/**
 * ga_limiter_clock_changed:
 * @self: a #GaLimiter
 *
 * Lets go the queued requests whose time has come (see ga_limiter_set_clock()).
 */
void
ga_limiter_clock_changed (GaLimiter *self)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (GA_IS_LIMITER (self));

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    process (value);
}

/**
 * ga_limiter_acquire_async:
 * @self: a #GaLimiter
 * @instance: the instance (its idInstance, with its API URL as GaClient does); limits are
 *   per instance
 * @method: the method about to be called
 * @priority: %GA_REQUEST_PRIORITY_INTERACTIVE goes ahead of queued batch requests
 * @cancellable: (nullable): cancelling it takes the request out of the queue at once
 * @callback: called when the request may go
 * @user_data: data for @callback
 *
 * Waits for the moment @method may be called on @instance without going over its documented
 * limit, counting every request of the process. Requests of one priority go in order.
 */
void
ga_limiter_acquire_async (GaLimiter           *self,
                          const char          *instance,
                          GaApiMethod          method,
                          GaRequestPriority    priority,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  Bucket *bucket;
  Waiter *waiter;

  g_return_if_fail (GA_IS_LIMITER (self));
  g_return_if_fail (method < GA_API_N_METHODS);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  bucket = get_bucket (self, instance, method);

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (waiter->task, ga_limiter_acquire_async);
  waiter->bucket = bucket;
  waiter->priority = priority;

  if (g_task_return_error_if_cancelled (waiter->task))
    {
      waiter_free (waiter);
      return;
    }

  if (cancellable != NULL)
    {
      waiter->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (waiter->cancel_source, G_SOURCE_FUNC (waiter_cancelled_cb),
                             waiter, NULL);
      g_source_attach (waiter->cancel_source, g_main_context_get_thread_default ());
    }

  if (priority == GA_REQUEST_PRIORITY_INTERACTIVE)
    {
      GList *link = bucket->waiters.head;

      while (link != NULL && ((Waiter *) link->data)->priority == GA_REQUEST_PRIORITY_INTERACTIVE)
        link = link->next;

      if (link != NULL)
        g_queue_insert_before (&bucket->waiters, link, waiter);
      else
        g_queue_push_tail (&bucket->waiters, waiter);
    }
  else
    {
      g_queue_push_tail (&bucket->waiters, waiter);
    }

  process (bucket);
}

/**
 * ga_limiter_acquire_finish:
 * @self: a #GaLimiter
 * @result: the #GAsyncResult
 * @error: return location for a #GError (%G_IO_ERROR_CANCELLED)
 *
 * Returns: (transfer full): the permit to send the request; release it with
 *   ga_limiter_permit_release() once the answer is back or the request failed
 */
GaLimiterPermit *
ga_limiter_acquire_finish (GaLimiter     *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (GA_IS_LIMITER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_limiter_permit_set_sent_time:
 * @permit: a permit from ga_limiter_acquire_finish(), not released yet
 * @time: when the request was written, in monotonic microseconds (g_get_monotonic_time())
 *
 * The request was written at @time, later than its grant: the network thread sends it, after
 * a hop and maybe a wait for a connection (libsoup opens at most four to a host, and a new one
 * costs a TCP and a TLS handshake first). Rule (a) and the round trip of rule (b) (see the top
 * of ga-limiter.c) then count from @time, which only frees the slot later. Ignored on a fake
 * clock, whose times are not the monotonic clock's.
 */
void
ga_limiter_permit_set_sent_time (GaLimiterPermit *permit,
                                 gint64           time)
{
  Slot *slot;

  g_return_if_fail (permit != NULL);

  if (permit->limiter->clock_func != NULL)
    return;

  slot = &permit->bucket->slots[permit->slot];
  if (slot->generation == permit->generation && slot->in_flight &&
      time > slot->grant && time <= now (permit->limiter))
    slot->grant = time;
}

/**
 * ga_limiter_permit_release:
 * @permit: (transfer full): a permit from ga_limiter_acquire_finish()
 *
 * Says that the request is over as far as the server is concerned (its answer is back, or it
 * failed). Its slot is free again about a second after the request was sent, later
 * when the request took longer than usual (see the top of ga-limiter.c).
 */
void
ga_limiter_permit_release (GaLimiterPermit *permit)
{
  Bucket *bucket;
  Slot *slot;

  if (permit == NULL)
    return;

  bucket = permit->bucket;
  slot = &bucket->slots[permit->slot];
  if (slot->generation == permit->generation && slot->in_flight)
    {
      gint64 rtt;

      slot->in_flight = FALSE;
      slot->end = now (permit->limiter);
      rtt = MAX (slot->end - slot->grant, 0);
      if (bucket->n_answers == 0 || rtt < bucket->rtt_min)
        bucket->rtt_min = rtt;
      if (bucket->n_answers < G_MAXUINT)
        bucket->n_answers++;
    }

  process (bucket);

  g_object_unref (permit->limiter);
  g_free (permit);
}

/**
 * ga_limiter_slow_down:
 * @self: a #GaLimiter
 * @instance: the instance, as given to ga_limiter_acquire_async()
 * @method: the method that was answered 429
 * @delay_ms: how long to send nothing (Retry-After, or the caller's backoff)
 *
 * Pauses @method of @instance for every caller and halves its rate for a minute.
 */
void
ga_limiter_slow_down (GaLimiter   *self,
                      const char  *instance,
                      GaApiMethod  method,
                      guint        delay_ms)
{
  Bucket *bucket;
  gint64 time;

  g_return_if_fail (GA_IS_LIMITER (self));
  g_return_if_fail (method < GA_API_N_METHODS);

  bucket = get_bucket (self, instance, method);
  time = now (self);
  bucket->paused_until = MAX (bucket->paused_until,
                              time + (gint64) delay_ms * G_TIME_SPAN_MILLISECOND);
  bucket->reduced_until = MAX (bucket->reduced_until, time + REDUCED_FOR_US);

  process (bucket);
}

/**
 * ga_limiter_get_n_queued:
 * @self: a #GaLimiter
 * @instance: the instance, as given to ga_limiter_acquire_async()
 * @method: a #GaApiMethod
 *
 * Returns: how many requests wait for @method of @instance
 */
guint
ga_limiter_get_n_queued (GaLimiter   *self,
                         const char  *instance,
                         GaApiMethod  method)
{
  g_return_val_if_fail (GA_IS_LIMITER (self), 0);
  g_return_val_if_fail (method < GA_API_N_METHODS, 0);

  return g_queue_get_length (&get_bucket (self, instance, method)->waiters);
}
