package handshake

import (
	"container/list"
	"sync"
	"time"
)

// lru is a map with a fixed capacity that forgets its least recently used
// entry when full, and entries that expire. It bounds the memory a server
// spends on sessions however many clients (or one client in a loop) open
// them: a flood of full handshakes can evict older sessions, never grow the
// cache. Safe for concurrent use.
//
// spec: rfc5246#7.4.1.2 (the server decides how long it caches sessions)
type lru[V any] struct {
	mu       sync.Mutex
	capacity int
	order    *list.List // front: most recently used; elements are *lruEntry[V]
	byKey    map[string]*list.Element
}

type lruEntry[V any] struct {
	key     string
	val     V
	expires time.Time // zero: never
}

func newLRU[V any](capacity int) *lru[V] {
	return &lru[V]{capacity: capacity, order: list.New(), byKey: make(map[string]*list.Element)}
}

// put stores val under key until expires (zero: no expiry), evicting the
// least recently used entry if the cache is full.
func (c *lru[V]) put(key string, val V, expires time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		ent := e.Value.(*lruEntry[V])
		ent.val, ent.expires = val, expires
		c.order.MoveToFront(e)
		return
	}
	for c.order.Len() >= c.capacity {
		oldest := c.order.Back()
		c.order.Remove(oldest)
		delete(c.byKey, oldest.Value.(*lruEntry[V]).key)
	}
	c.byKey[key] = c.order.PushFront(&lruEntry[V]{key: key, val: val, expires: expires})
}

// get returns the value under key if it has not expired at now (a zero now
// skips the check); an expired entry is removed.
func (c *lru[V]) get(key string, now time.Time) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var zero V
	e, ok := c.byKey[key]
	if !ok {
		return zero, false
	}
	ent := e.Value.(*lruEntry[V])
	if !now.IsZero() && !ent.expires.IsZero() && !now.Before(ent.expires) {
		c.order.Remove(e)
		delete(c.byKey, key)
		return zero, false
	}
	c.order.MoveToFront(e)
	return ent.val, true
}

// remove deletes key.
func (c *lru[V]) remove(key string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.byKey[key]; ok {
		c.order.Remove(e)
		delete(c.byKey, key)
	}
}

// len returns the number of entries (expired ones included until looked up
// or evicted).
func (c *lru[V]) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// serverSessions is a server Config's resumption state: the session-ID
// cache (nil when Config.SessionCacheSize is 0) and the ticket keys. It is
// created on first use and shared by every connection of the Config (and of
// its clones).
type serverSessions struct {
	cache *lru[*sessionState]
	keys  *ticketKeys
}

// serverSessionsMu guards the lazy creation of Config.sessions.
var serverSessionsMu sync.Mutex

// serverSessions returns c's resumption state, creating it on first use.
// A clone that turns the cache on (SessionCacheSize > 0 where the original
// had none) gets a cache of its own and keeps the shared ticket keys. Once
// it returned, c.sessions never changes again.
func (c *Config) serverSessions() *serverSessions {
	serverSessionsMu.Lock()
	defer serverSessionsMu.Unlock()
	if c.sessions == nil {
		c.sessions = &serverSessions{keys: &ticketKeys{}}
	}
	if c.SessionCacheSize > 0 && c.sessions.cache == nil {
		c.sessions = &serverSessions{cache: newLRU[*sessionState](c.SessionCacheSize), keys: c.sessions.keys}
	}
	return c.sessions
}

// sessionLifetime returns Config.SessionLifetime or its default.
func (c *Config) sessionLifetime() time.Duration {
	if c.SessionLifetime > 0 {
		return c.SessionLifetime
	}
	return DefaultSessionLifetime
}

// ticketKeyRotation returns Config.TicketKeyRotation or its default.
func (c *Config) ticketKeyRotation() time.Duration {
	if c.TicketKeyRotation > 0 {
		return c.TicketKeyRotation
	}
	return DefaultTicketKeyRotation
}
