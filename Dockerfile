# syntax=docker/dockerfile:1
FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/c3dmock .

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/c3dmock /c3dmock
USER nonroot:nonroot
EXPOSE 8080 8081
ENTRYPOINT ["/c3dmock"]
CMD ["serve", "--addr", "0.0.0.0:8080", "--data-addr", "0.0.0.0:8081"]
