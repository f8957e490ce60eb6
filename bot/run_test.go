package bot

import (
	"strings"
	"testing"

	"github.com/gorilla/websocket"
)

func TestConnectErrorNamesTheFix(t *testing.T) {
	tests := []struct {
		code int
		want string
	}{
		{4004, "DISCORD_TOKEN"},
		{4014, "Message Content intent"},
		{1006, "connect to Discord"},
	}
	for _, tt := range tests {
		err := connectError(&websocket.CloseError{Code: tt.code})
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("close %d: got %q, want it to mention %q", tt.code, err, tt.want)
		}
	}
}
