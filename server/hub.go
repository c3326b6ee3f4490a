package server

import (
	"encoding/json"
	"log/slog"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
	sendBuffer = 256
	maxMessage = 64 << 10
)

// client is one open page's websocket. Topic says what it listens to:
// "dashboard", "pick:<user>" or "pack:<station>".
type client struct {
	topic string
	user  string
	conn  *websocket.Conn
	send  chan []byte

	mu     sync.Mutex // guards closed, closing send, and idle
	closed bool
	idle   bool // a picker told there is nothing to pick
}

func (c *client) setIdle(v bool) {
	c.mu.Lock()
	c.idle = v
	c.mu.Unlock()
}

func (c *client) isIdle() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.idle
}

// hub keeps the open websockets and fans messages out to them by topic.
type hub struct {
	log     *slog.Logger
	mu      sync.Mutex
	clients map[*client]struct{}
	closed  bool
}

func newHub(log *slog.Logger) *hub {
	return &hub{log: log, clients: map[*client]struct{}{}}
}

func (h *hub) add(c *client) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	h.clients[c] = struct{}{}
	return true
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	delete(h.clients, c)
	h.mu.Unlock()
	c.close()
}

// clientsOf returns the clients whose topic matches.
func (h *hub) clientsOf(match func(topic string) bool) []*client {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []*client
	for c := range h.clients {
		if match(c.topic) {
			out = append(out, c)
		}
	}
	return out
}

// publish sends msg to every client of the topic.
func (h *hub) publish(topic string, msg any) {
	for _, c := range h.clientsOf(func(t string) bool { return t == topic }) {
		c.sendJSON(h.log, msg)
	}
}

// close disconnects every client; later adds are refused.
func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	cs := make([]*client, 0, len(h.clients))
	for c := range h.clients {
		cs = append(cs, c)
	}
	h.clients = map[*client]struct{}{}
	h.mu.Unlock()
	for _, c := range cs {
		c.close()
	}
}

// sendJSON queues a message. A client too slow to keep up is dropped rather
// than allowed to block everyone else; its page reconnects and gets fresh state.
func (c *client) sendJSON(log *slog.Logger, msg any) {
	b, err := json.Marshal(msg)
	if err != nil {
		log.Error("encode websocket message", "err", err)
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	select {
	case c.send <- b:
	default:
		log.Warn("websocket client too slow, dropping it", "topic", c.topic)
		c.closed = true
		close(c.send)
	}
}

func (c *client) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.closed {
		c.closed = true
		close(c.send)
	}
}

// writePump writes queued messages and pings; it owns all writes to conn.
func (c *client) writePump() {
	ticker := time.NewTicker(pingPeriod)
	defer func() {
		ticker.Stop()
		c.conn.Close()
	}()
	for {
		select {
		case msg, ok := <-c.send:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if !ok {
				c.conn.WriteMessage(websocket.CloseMessage,
					websocket.FormatCloseMessage(websocket.CloseGoingAway, "server closing"))
				return
			}
			if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
				return
			}
		case <-ticker.C:
			c.conn.SetWriteDeadline(time.Now().Add(writeWait))
			if err := c.conn.WriteMessage(websocket.PingMessage, nil); err != nil {
				return
			}
		}
	}
}

// inbound is a message from a page. ID is the client's command id.
type inbound struct {
	Type   string `json:"type"`
	ID     string `json:"id"`
	Code   string `json:"code"`
	LineID int64  `json:"line_id"`
	JobID  string `json:"job_id"`
	// A station's weigh and ship messages (see onPack).
	Parcel   int    `json:"parcel"`
	Grams    int64  `json:"grams"`
	Box      string `json:"box"`
	LengthMM int64  `json:"length_mm"`
	WidthMM  int64  `json:"width_mm"`
	HeightMM int64  `json:"height_mm"`
	Service  string `json:"service"`
}

// readPump reads messages until the connection ends, handing each to handle.
// A page that stops answering pings is dropped after pongWait.
func (c *client) readPump(log *slog.Logger, handle func(inbound)) {
	c.conn.SetReadLimit(maxMessage)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error {
		return c.conn.SetReadDeadline(time.Now().Add(pongWait))
	})
	for {
		_, data, err := c.conn.ReadMessage()
		if err != nil {
			if websocket.IsUnexpectedCloseError(err, websocket.CloseGoingAway, websocket.CloseNormalClosure) {
				log.Debug("websocket read ended", "topic", c.topic, "err", err)
			}
			return
		}
		c.conn.SetReadDeadline(time.Now().Add(pongWait))
		var m inbound
		if err := json.Unmarshal(data, &m); err != nil {
			m = inbound{Type: "invalid", Code: err.Error()}
		}
		handle(m)
	}
}
