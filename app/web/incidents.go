package web

import "net/http"

var _ = http.StatusOK

func (s *Server) incidentsRoutes() {}
