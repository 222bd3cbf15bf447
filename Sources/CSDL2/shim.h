// SDL2 for the Viewer target (Debian/Ubuntu: libsdl2-dev). Only Viewer and `watch` link it.
#include <SDL2/SDL.h>
