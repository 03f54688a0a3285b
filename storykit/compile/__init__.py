"""The compiler: outlines, beat sheets, PDF treatments, the series bible and the build that ties them."""
