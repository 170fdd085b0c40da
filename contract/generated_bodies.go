package contract

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
)

// binaryBodies generate the request bodies the spec cannot give an example
// of (format: binary): the smallest valid file of a documented type.
var binaryBodies = map[string]func() ([]byte, string){
	"uploadMedia": func() ([]byte, string) { return tinyPNG(), "image/png" },
	"postAudio": func() ([]byte, string) {
		return []byte("RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00\x44\xac\x00\x00\x88\x58\x01\x00\x02\x00\x10\x00data\x00\x00\x00\x00"), "application/octet-stream"
	},
}

// tinyPNG is a 4×3 image with one red pixel.
func tinyPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var b bytes.Buffer
	_ = png.Encode(&b, img) // writing to a bytes.Buffer cannot fail
	return b.Bytes()
}
