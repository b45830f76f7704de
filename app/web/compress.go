package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
)

// Compression. Text responses are bounded (pages are paginated), so the
// middleware collects a text body, then sends it gzipped, with its length,
// when the client accepts gzip and the body is long enough to gain from it;
// anything else (files, redirects, ranges) streams through untouched. Gzip
// writers are costly to make (about a megabyte each), so a fixed number of
// them is kept in a free list that the garbage collector does not empty
// (a sync.Pool is emptied at every collection, and making writers again was
// a fifth of a page's cost under load). The fastest level compresses a list
// page to a quarter of its size, at a third of the cost of the default level.

const (
	compressMin      = 512     // shorter bodies are sent as they are
	compressMaxKept  = 1 << 20 // buffers grown beyond this are not kept
	compressFreeSize = 16      // writers and buffers kept for reuse
)

var (
	freeGzip    = make(chan *gzip.Writer, compressFreeSize)
	freeBuffers = make(chan *bytes.Buffer, compressFreeSize)
)

func getGzip(w io.Writer) *gzip.Writer {
	select {
	case z := <-freeGzip:
		z.Reset(w)
		return z
	default:
		z, _ := gzip.NewWriterLevel(w, gzip.BestSpeed)
		return z
	}
}

func putGzip(z *gzip.Writer) {
	z.Reset(io.Discard)
	select {
	case freeGzip <- z:
	default:
	}
}

func getBuffer() *bytes.Buffer {
	select {
	case b := <-freeBuffers:
		return b
	default:
		return new(bytes.Buffer)
	}
}

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > compressMaxKept {
		return
	}
	b.Reset()
	select {
	case freeBuffers <- b:
	default:
	}
}

// compressible says whether a content type gains from compression.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	return strings.HasPrefix(ct, "text/") || ct == "application/javascript" || ct == "application/json" ||
		ct == "image/svg+xml" || ct == "application/xml"
}

// acceptsGzip reads Accept-Encoding: gzip, or else *, with a quality above zero.
func acceptsGzip(r *http.Request) bool {
	gz, star := -1.0, -1.0
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		q := 1.0
		if k, v, _ := strings.Cut(strings.TrimSpace(params), "="); strings.TrimSpace(k) == "q" {
			if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
				q = f
			}
		}
		switch name = strings.TrimSpace(name); {
		case strings.EqualFold(name, "gzip"):
			gz = q
		case name == "*":
			star = q
		}
	}
	if gz >= 0 {
		return gz > 0
	}
	return star > 0
}

// bufferedWriter holds a response's status and body until the handler is
// done, if it is to be compressed. What will not be compressed (a type
// that does not gain from it, a range, an encoded body, no body) passes
// straight through from its first write, so that a large download streams.
type bufferedWriter struct {
	http.ResponseWriter
	buf     *bytes.Buffer
	status  int
	through bool // decided at the first write: sent as it comes
}

func (w *bufferedWriter) WriteHeader(code int) {
	if w.status != 0 {
		return
	}
	w.status = code
	h := w.Header()
	if !compressible(h.Get(echo.HeaderContentType)) || h.Get(echo.HeaderContentEncoding) != "" ||
		h.Get("Content-Range") != "" || code == http.StatusNoContent || code == http.StatusNotModified ||
		code == http.StatusPartialContent || code < 200 {
		w.through = true
		w.ResponseWriter.WriteHeader(code)
	}
}

func (w *bufferedWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.WriteHeader(http.StatusOK)
	}
	if w.through {
		return w.ResponseWriter.Write(p)
	}
	return w.buf.Write(p)
}

// Flush sends what passes through; a body to compress is sent whole when
// the handler returns.
func (w *bufferedWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok && w.through {
		f.Flush()
	}
}

func (w *bufferedWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return nil, nil, errors.New("compress: hijacking is not supported")
}

func (w *bufferedWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// compress sends text responses gzipped to clients that accept it.
func compress(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req, res := c.Request(), c.Response()
		res.Header().Add(echo.HeaderVary, echo.HeaderAcceptEncoding)
		if req.Method == http.MethodHead || !acceptsGzip(req) {
			return next(c)
		}
		orig := res.Writer
		bw := &bufferedWriter{ResponseWriter: orig, buf: getBuffer()}
		res.Writer = bw
		err := next(c)
		if err != nil {
			c.Error(err) // the error page goes into the buffer too
		}
		res.Writer = orig
		defer putBuffer(bw.buf)
		if bw.through {
			return nil // sent already
		}
		status := bw.status
		if status == 0 {
			status = http.StatusOK // nothing was written
		}
		h := orig.Header()
		body := bw.buf.Bytes()
		if bw.buf.Len() >= compressMin {
			zbuf := getBuffer()
			defer putBuffer(zbuf)
			z := getGzip(zbuf)
			_, werr := z.Write(body)
			if cerr := z.Close(); werr == nil {
				werr = cerr
			}
			putGzip(z)
			if werr != nil {
				return werr
			}
			h.Set(echo.HeaderContentEncoding, "gzip")
			h.Del("Accept-Ranges")
			body = zbuf.Bytes()
		}
		h.Set(echo.HeaderContentLength, strconv.Itoa(len(body)))
		orig.WriteHeader(status)
		_, werr := orig.Write(body)
		return werr
	}
}
