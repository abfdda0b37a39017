# USAGE: bpfasm -mcpu=v9 %s -o %t
	exit
